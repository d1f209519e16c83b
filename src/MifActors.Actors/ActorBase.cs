using MifActors.Actors.Internal;
using MifActors.Actors.Supervision;

namespace MifActors.Actors;

/// <summary>
/// An actor: state that only its own messages touch, one message at a time. Instances are made by the runtime
/// from <see cref="Props"/> (never with <c>new</c> elsewhere) and replaced by a fresh one on restart.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell cell;

    protected ActorBase()
    {
        cell = ActorCell.Constructing ?? throw new ActorNotCreatedProperlyException(
            $"{GetType().Name} must be created through ActorOf(Props), not with 'new'");
    }

    protected IActorRef Self => cell;

    protected IActorRef Sender => cell.Sender;

    protected IActorContext Context => cell;

    internal ActorCell Cell => cell;

    /// <summary>The initial behavior. Return false for messages it does not handle.</summary>
    protected internal abstract bool Receive(object message);

    /// <summary>Runs before the first message, on start and (by default) after a restart.</summary>
    protected internal virtual void PreStart()
    {
    }

    /// <summary>Runs after the actor stopped and its children have stopped.</summary>
    protected internal virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before a restart; by default stops every child, then PostStop.</summary>
    protected internal virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; by default PreStart.</summary>
    protected internal virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children; props can override it.</summary>
    protected internal virtual SupervisorStrategy SupervisorStrategy() => Supervision.SupervisorStrategy.Default;

    /// <summary>
    /// A message no behavior handled: an unhandled <see cref="Terminated"/> fails the actor with
    /// <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }

        cell.System.EventStream.Publish(new UnhandledMessage(message, cell.CurrentSender, cell));
    }

    /// <summary>
    /// Called for every message with the behavior in force: <paramref name="receive"/> is the behavior set with
    /// Become, or null for the actor's own <see cref="Receive"/> (no delegate is made per instance for it).
    /// Protected so that actor kinds built on the core (a persistent actor stashing commands while an event is
    /// written) can run their own state machine around the user's behavior.
    /// </summary>
    protected internal virtual void AroundReceive(Receive? receive, object message)
    {
        if (!(receive is null ? Receive(message) : receive(message)))
        {
            Unhandled(message);
        }
    }
}

/// <summary>An actor written as one method over all messages.</summary>
public abstract class UntypedActor : ActorBase
{
    protected internal sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Handles a message; call <see cref="ActorBase.Unhandled"/> yourself for messages you do not handle.</summary>
    protected abstract void OnReceive(object message);
}
