namespace MifActors.Actors.Timers;

/// <summary>
/// Timers owned by one actor, on the system's <see cref="TimeProvider"/>. Each timer has a key; starting a timer
/// with a key in use replaces it, and a replaced or cancelled timer never delivers, even if it already fired.
/// All timers die when the actor restarts or stops. Use only from the actor's own turn.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to the actor once, after <paramref name="delay"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan delay);

    /// <summary>Sends <paramref name="message"/> every <paramref name="interval"/>, first after one interval.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();

    /// <summary>The keys of the timers in force.</summary>
    IReadOnlyCollection<object> ActiveTimers { get; }
}

/// <summary>An actor that uses timers.</summary>
/// <remarks>The runtime sets <see cref="Timers"/> right after construction, so use it from PreStart and handlers.</remarks>
public interface IWithTimers
{
    ITimerScheduler Timers { get; set; }
}
