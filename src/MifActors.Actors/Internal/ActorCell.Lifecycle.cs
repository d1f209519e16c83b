using MifActors.Actors.Supervision;

namespace MifActors.Actors.Internal;

/// <summary>Start, failure, restart and stop of one actor, and supervision of its children.</summary>
internal sealed partial class ActorCell
{
    private void HandleCreate()
    {
        try
        {
            NewActorInstance();
            actor!.PreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(this, $"{props.ActorType.Name} at {Path} failed to start: {e.Message}", e));
        }
    }

    /// <summary>
    /// The actor threw (or escalates the failure of <paramref name="escalatedChild"/>): suspend it and its
    /// children, and ask the parent what to do.
    /// </summary>
    private void HandleInvokeFailure(Exception cause, ActorCell? escalatedChild = null)
    {
        if (state >= LifeState.Terminating)
        {
            system.LogError(cause, $"{Path} failed while stopping: {cause.Message}");
            return;
        }

        if (extras is not null) extras.AwaitingAsync = false;
        X.FailedMessage = currentMessage;
        suspendCount++;
        foreach (var child in ChildrenSnapshot())
        {
            // The escalating child suspended itself when it failed; a second suspend would outlast a Resume from above.
            if (!ReferenceEquals(child, escalatedChild)) child.SendSystemMessage(new Suspend());
        }

        if (parent is null)
        {
            system.LogError(cause, $"the root guardian failed: {cause.Message}");
            HandleTerminate();
            return;
        }

        if (cause is not ActorInitializationException && actor is null)
        {
            cause = new ActorInitializationException(this, $"{Path} failed before it had an instance: {cause.Message}", cause);
        }

        parent.SendSystemMessage(new Failed(this, cause, uid));
    }

    private void HandleFailed(Failed failed)
    {
        if (failed.Child is not ActorCell child || !IsLiveChild(child) || child.uid != failed.Uid)
        {
            return; // a child that has been stopped or replaced since it failed
        }

        var strategy = CurrentSupervisorStrategy();
        Directive directive;
        try
        {
            directive = strategy.Decider(failed.Cause);
        }
        catch (Exception deciderFailure)
        {
            system.LogError(deciderFailure, $"the supervisor strategy of {Path} threw deciding on {child.Path}; escalating");
            directive = Directive.Escalate;
        }

        system.LogFailure(child, failed.Cause, directive);
        switch (directive)
        {
            case Directive.Resume:
                child.SendSystemMessage(new Resume(failed.Cause));
                break;
            case Directive.Escalate:
                HandleInvokeFailure(failed.Cause, child);
                break;
            default:
                strategy.Apply(this, child, failed.Cause, directive, ChildrenSnapshot());
                break;
        }
    }

    private SupervisorStrategy CurrentSupervisorStrategy()
    {
        if (props.SupervisorStrategy is { } fromProps) return fromProps;
        if (actor is null) return SupervisorStrategy.Default;
        if (extras?.Strategy is { } cached && cached.Incarnation == incarnation) return cached.Strategy;
        var strategy = actor.SupervisorStrategy() ?? SupervisorStrategy.Default;
        X.Strategy = new SupervisorStrategyCache(strategy, incarnation);
        return strategy;
    }

    internal ChildRestartStats StatsFor(ActorCell child) => child.RestartStats ??= new ChildRestartStats();

    private void HandleSuspend()
    {
        suspendCount++;
        foreach (var child in ChildrenSnapshot())
        {
            child.SendSystemMessage(new Suspend());
        }
    }

    private void HandleResume(Resume resume)
    {
        if (suspendCount > 0) suspendCount--;
        if (resume.CausedByFailure is not null && extras is not null) extras.FailedMessage = null;
        foreach (var child in ChildrenSnapshot())
        {
            child.SendSystemMessage(new Resume(null));
        }
    }

    private void HandleRecreate(Exception cause)
    {
        if (state != LifeState.Normal) return;
        var failed = actor;
        if (failed is not null)
        {
            try
            {
                failed.PreRestart(cause, extras?.FailedMessage);
            }
            catch (Exception e)
            {
                system.LogError(e, $"PreRestart of {Path} threw: {e.Message}");
            }
        }

        ClearIncarnation(keepStashedMessages: true);
        if (HasStoppingChildren)
        {
            state = LifeState.Recreating;
            X.RecreateCause = cause;
        }
        else
        {
            FinishRecreate(cause);
        }
    }

    private void FinishRecreate(Exception cause)
    {
        state = LifeState.Normal;
        suspendCount = 0;
        if (extras is not null)
        {
            extras.RecreateCause = null;
            extras.FailedMessage = null;
        }

        var survivors = ChildrenSnapshot();

        // The failed instance had its PostStop in PreRestart: if the new one cannot be made, stopping must not
        // run the old one's PostStop a second time.
        actor = null;
        try
        {
            NewActorInstance();
            actor!.PostRestart(cause);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(this, $"{props.ActorType.Name} at {Path} failed to restart: {e.Message}", e));
            return;
        }

        foreach (var child in survivors)
        {
            child.SendSystemMessage(new Recreate(cause));
        }
    }

    /// <summary>Forgets what belonged to the instance: behaviors, timers, receive timeout, pending async work.</summary>
    private void ClearIncarnation(bool keepStashedMessages)
    {
        behavior = null;

        // Before the extras check: the stash lives on the instance, and an actor that only stashed has no extras.
        if (actor is Stash.IWithStash { Stash: StashBuffer buffer })
        {
            if (keepStashedMessages)
            {
                // Stashed messages go back in front of the mailbox, in order: a restart loses none.
                buffer.ReturnAllToMailbox();
            }
            else
            {
                buffer.DropAllToDeadLetters();
            }
        }

        var x = extras;
        if (x is null) return;
        x.BehaviorStack?.Clear();
        x.Timers?.CancelAll();
        x.Timers = null;
        x.AwaitingAsync = false;
        x.Strategy = null;
        CancelReceiveTimeout();
    }

    /// <summary>Puts <paramref name="envelopes"/> in front of the mailbox, ahead of unstashed messages still waiting there.</summary>
    internal void PrependToMailbox(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count == 0) return;
        var x = X;
        if (x.Prepended is not { Count: > 0 })
        {
            var queue = x.Prepended ??= new Queue<Envelope>();
            foreach (var envelope in envelopes) queue.Enqueue(envelope);
            return;
        }

        // Rare: messages unstashed earlier still wait; the new ones go ahead of them.
        var front = new Queue<Envelope>(envelopes.Count + x.Prepended.Count);
        foreach (var envelope in envelopes) front.Enqueue(envelope);
        foreach (var envelope in x.Prepended) front.Enqueue(envelope);
        x.Prepended = front;
    }

    private void HandleTerminate()
    {
        if (state >= LifeState.Terminating) return;
        state = LifeState.Terminating;
        suspendCount++;
        ClearIncarnation(keepStashedMessages: false);
        foreach (var child in ChildrenSnapshot())
        {
            StopChild(child);
        }

        if (!HasChildren)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        var instance = actor;
        if (instance is not null)
        {
            try
            {
                instance.PostStop();
            }
            catch (Exception e)
            {
                system.LogError(e, $"PostStop of {Path} threw: {e.Message}; the actor is stopped all the same");
            }
        }

        state = LifeState.Terminated;
        actor = null;
        behavior = null;
        currentMessage = null;
        currentSender = null;
        parent?.ReleaseChildName(this);
        TellWatchersAndUnwatchAll();
        parent?.SendSystemMessage(new ChildTerminated(this));
        CloseMailbox();
        extras = null;
        system.CellTerminated(this);
    }
}
