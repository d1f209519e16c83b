using MifActors.Actors.Internal;

namespace MifActors.Actors.Supervision;

/// <summary>
/// How an actor treats a failing child. The decider maps the exception to a <see cref="Directive"/>; a restart
/// that exceeds <see cref="MaxNrOfRetries"/> within <see cref="WithinTimeRange"/> becomes a stop.
/// </summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; negative means no limit, 0 means none.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window for <see cref="MaxNrOfRetries"/>; zero or infinite means the window is the whole life.</summary>
    public TimeSpan WithinTimeRange { get; }

    public Func<Exception, Directive> Decider { get; }

    /// <summary>
    /// The default decider: stop on initialization failure, on <see cref="Kill"/> and on an unhandled
    /// <see cref="Terminated"/>; restart on anything else.
    /// </summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>.</summary>
    public static SupervisorStrategy Default { get; } = new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, DefaultDecider);

    /// <summary>Stops every failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, _ => Directive.Stop);

    /// <summary>Applies a directive that is not Resume or Escalate to the children concerned.</summary>
    internal abstract void Apply(ActorCell supervisor, ActorCell failedChild, Exception cause, Directive directive, IReadOnlyList<ActorCell> allChildren);

    /// <summary>Whether a child may restart once more; records the restart when it may.</summary>
    internal bool RequestRestartPermission(ChildRestartStats stats, DateTimeOffset now) =>
        stats.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, now);
}

/// <summary>The directive applies to the failing child only.</summary>
public sealed class OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    : SupervisorStrategy(maxNrOfRetries, withinTimeRange, decider)
{
    public OneForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    internal override void Apply(ActorCell supervisor, ActorCell failedChild, Exception cause, Directive directive, IReadOnlyList<ActorCell> allChildren)
    {
        if (directive == Directive.Restart && RequestRestartPermission(supervisor.StatsFor(failedChild), supervisor.Now))
        {
            failedChild.SendSystemMessage(new Recreate(cause));
        }
        else
        {
            supervisor.StopChild(failedChild);
        }
    }
}

/// <summary>The directive applies to every child of the supervisor: siblings restart or stop together.</summary>
public sealed class AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    : SupervisorStrategy(maxNrOfRetries, withinTimeRange, decider)
{
    public AllForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    internal override void Apply(ActorCell supervisor, ActorCell failedChild, Exception cause, Directive directive, IReadOnlyList<ActorCell> allChildren)
    {
        var now = supervisor.Now;
        var restart = directive == Directive.Restart
            && allChildren.All(child => RequestRestartPermission(supervisor.StatsFor(child), now));
        foreach (var child in allChildren)
        {
            if (restart)
            {
                child.SendSystemMessage(new Recreate(cause));
            }
            else
            {
                supervisor.StopChild(child);
            }
        }
    }
}
