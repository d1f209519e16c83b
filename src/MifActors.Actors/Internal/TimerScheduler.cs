using MifActors.Actors.Timers;

namespace MifActors.Actors.Internal;

/// <summary>
/// One actor incarnation's timers. A firing sends a <see cref="TimerFired"/> stamped with the timer's
/// generation; the cell delivers it only if that generation is still the one in force.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell, int incarnation) : ITimerScheduler
{
    private readonly Dictionary<object, Entry> timers = [];
    private int generation;

    public IReadOnlyCollection<object> ActiveTimers => [.. timers.Keys];

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"a periodic timer of {cell.Path} needs a positive interval");
        }

        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key) => timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (timers.Remove(key, out var entry))
        {
            entry.Timer.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in timers.Values)
        {
            entry.Timer.Dispose();
        }

        timers.Clear();
    }

    /// <summary>Whether a firing is still wanted; a single timer is done once accepted.</summary>
    public bool Accept(TimerFired fired)
    {
        if (fired.Incarnation != incarnation || !timers.TryGetValue(fired.Key, out var entry) || entry.Generation != fired.Generation)
        {
            return false;
        }

        if (!entry.Periodic)
        {
            timers.Remove(fired.Key);
            entry.Timer.Dispose();
        }

        return true;
    }

    private void Start(object key, object message, TimeSpan due, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        if (due < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(due), due, $"a timer of {cell.Path} cannot be due in the past");
        }

        Cancel(key);
        var fired = new TimerFired(key, ++generation, incarnation, message);
        var timer = cell.System.TimeProvider.CreateTimer(
            static state =>
            {
                var (target, firing) = ((ActorCell, TimerFired))state!;
                target.Tell(firing);
            },
            (cell, fired),
            due,
            period);
        timers[key] = new Entry(timer, fired.Generation, period != Timeout.InfiniteTimeSpan);
    }

    private sealed record Entry(ITimer Timer, int Generation, bool Periodic);
}
