using MifActors.Actors.Timers;

namespace MifActors.Actors.Supervision;

/// <summary>When a backoff supervisor starts its child again.</summary>
public enum BackoffMode
{
    /// <summary>
    /// When the child stops, for any reason (for instance a persistent actor that stops itself when its store
    /// fails); a child that throws is restarted at once by the default strategy.
    /// </summary>
    OnStop,

    /// <summary>When the child fails (throws): the failure stops it and the backoff starts a fresh one.</summary>
    OnFailure,
}

/// <summary>How a backoff supervisor spaces its child's restarts.</summary>
/// <param name="ChildProps">How to make the child.</param>
/// <param name="ChildName">The child's name, the same on every start.</param>
/// <param name="MinBackoff">The wait before the first restart.</param>
/// <param name="MaxBackoff">The longest wait; the wait doubles per restart up to this.</param>
/// <param name="RandomFactor">Up to this fraction is added to each wait, so restarts of many children spread out.</param>
/// <param name="ResetBackoff">A child that runs this long without failing starts the count over; null never resets.</param>
/// <param name="Mode">Whether stops or failures trigger restarts.</param>
public sealed record BackoffOptions(
    Props ChildProps,
    string ChildName,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff,
    double RandomFactor,
    TimeSpan? ResetBackoff,
    BackoffMode Mode = BackoffMode.OnStop);

/// <summary>
/// Keeps one child alive across stops or failures, waiting longer after each restart: min, 2·min, 4·min ... up to
/// max, plus a random share. Messages for the child go through the supervisor; while the child is down they go
/// to dead letters. Ask it for <see cref="GetCurrentChild"/> to get the child's reference.
/// </summary>
public sealed class BackoffSupervisor : ReceiveActor, IWithTimers
{
    private readonly BackoffOptions options;
    private IActorRef? child;
    private int restartCount;

    public BackoffSupervisor(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinBackoff <= TimeSpan.Zero || options.MaxBackoff < options.MinBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"backoff needs 0 < min-backoff ({options.MinBackoff}) <= max-backoff ({options.MaxBackoff})");
        }

        if (options.RandomFactor is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RandomFactor, "backoff random-factor must be between 0 and 1");
        }

        this.options = options;
        Receive<Terminated>(t => t.ActorRef.Equals(child), OnChildStopped);
        Receive<StartChild>(_ => StartChildNow());
        Receive<ResetRestartCount>(_ => restartCount = 0);
        Receive<GetCurrentChild>(_ => Sender.Tell(new CurrentChild(child)));
        Receive<GetRestartCount>(_ => Sender.Tell(new RestartCount(restartCount)));
        ReceiveAny(message =>
        {
            if (child is not null)
            {
                child.Forward(message, Context);
            }
            else
            {
                Context.System.DeadLetters.Tell(new DeadLetter(message, Sender, Self));
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a backoff supervisor over <paramref name="options"/>.</summary>
    public static Props Props(BackoffOptions options) =>
        Actors.Props.Create(() => new BackoffSupervisor(options))
            .WithSupervisorStrategy(options.Mode == BackoffMode.OnFailure
                ? Supervision.SupervisorStrategy.StoppingStrategy
                : Supervision.SupervisorStrategy.Default);

    /// <summary>The wait before restart number <paramref name="restartCount"/> (0-based), before the random share.</summary>
    public static TimeSpan BaseDelay(TimeSpan minBackoff, TimeSpan maxBackoff, int restartCount)
    {
        var factor = Math.Pow(2, Math.Min(restartCount, 30));
        var ticks = Math.Min(maxBackoff.Ticks, minBackoff.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    protected internal override void PreStart() => StartChildNow();

    private void StartChildNow()
    {
        if (child is not null) return;
        child = Context.Watch(Context.ActorOf(options.ChildProps, options.ChildName));
        if (options.ResetBackoff is { } reset)
        {
            Timers.StartSingleTimer(ResetKey, ResetRestartCount.Instance, reset);
        }
    }

    private void OnChildStopped(Terminated terminated)
    {
        child = null;
        Timers.Cancel(ResetKey);
        var delay = BaseDelay(options.MinBackoff, options.MaxBackoff, restartCount);
        delay += TimeSpan.FromTicks((long)(delay.Ticks * options.RandomFactor * Random.Shared.NextDouble()));
        restartCount++;
        Timers.StartSingleTimer(StartKey, StartChild.Instance, delay);
    }

    private static readonly object ResetKey = "reset-backoff";
    private static readonly object StartKey = "start-child";

    /// <summary>Asks for the child's reference; the answer is <see cref="CurrentChild"/>.</summary>
    public sealed record GetCurrentChild
    {
        public static readonly GetCurrentChild Instance = new();
    }

    public sealed record CurrentChild(IActorRef? Ref);

    /// <summary>Asks how many restarts have happened since the last reset; the answer is <see cref="RestartCount"/>.</summary>
    public sealed record GetRestartCount
    {
        public static readonly GetRestartCount Instance = new();
    }

    public sealed record RestartCount(int Count);

    private sealed record StartChild
    {
        public static readonly StartChild Instance = new();
    }

    private sealed record ResetRestartCount
    {
        public static readonly ResetRestartCount Instance = new();
    }
}
