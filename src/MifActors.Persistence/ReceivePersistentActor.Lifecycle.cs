using MifActors.Actors;
using MifActors.Persistence.Internal;

namespace MifActors.Persistence;

/// <summary>The state machine around the user's behavior: recovering, ready, persisting.</summary>
public abstract partial class ReceivePersistentActor
{
    protected sealed override void AroundReceive(Receive? receive, object message)
    {
        if (message is IPersistenceReply reply)
        {
            if (reply.InstanceId == instanceId && phase != Phase.Stopping) HandleReply(receive, reply);
            return;
        }

        switch (phase)
        {
            case Phase.Ready when pendingStashingPersists == 0:
                if (!HandleBuiltIn(message)) base.AroundReceive(receive, message);
                FlushBatch();
                break;
            case Phase.WaitingToStart when message is StartRecovery start:
                if (start.InstanceId != instanceId) return;
                phase = Phase.RecoveringSnapshot;
                persistence.SnapshotStore.Tell(new LoadSnapshot(PersistenceId, RecoverySnapshotCriteria, Self, instanceId));
                break;
            case Phase.Stopping:
                break;
            default:
                // Recovering, or a Persist in flight: the command waits for the handler.
                internalStash!.Stash();
                break;
        }
    }

    /// <summary>Lets a built-in subclass take its own messages before the user's behavior, whatever Become did.</summary>
    private protected virtual bool HandleBuiltIn(object message) => false;

    /// <summary>Runs after the user's RecoveryCompleted handler, for built-in subclasses.</summary>
    private protected virtual void AfterRecovery()
    {
    }

    private void HandleReply(Receive? receive, IPersistenceReply reply)
    {
        switch (reply)
        {
            case LoadSnapshotResult result when phase == Phase.RecoveringSnapshot:
                if (result.Offer is { } offer)
                {
                    if (!RunRecoveryHandler(offer, offer)) return;
                    sequenceNr = LastSequenceNr = offer.Metadata.SequenceNr;
                }

                phase = Phase.RecoveringEvents;
                persistence.JournalWriter.Enqueue(new ReplayMessages(PersistenceId, LastSequenceNr + 1, long.MaxValue, long.MaxValue, Self, instanceId));
                break;
            case LoadSnapshotFailed failed:
                FailRecovery(failed.Cause, null);
                break;
            case ReplayedMessages replayed when phase == Phase.RecoveringEvents:
                foreach (var replayedEvent in replayed.Events)
                {
                    sequenceNr = LastSequenceNr = replayedEvent.SequenceNr;
                    if (!RunRecoveryHandler(replayedEvent.Event, replayedEvent.Event)) return;
                }

                break;
            case ReplaySuccess success when phase == Phase.RecoveringEvents:
                sequenceNr = LastSequenceNr = Math.Max(LastSequenceNr, success.HighestSequenceNr);
                phase = Phase.Ready;
                if (!RunRecoveryHandler(RecoveryCompleted.Instance, null)) return;
                AfterRecovery();
                FlushBatch();
                if (pendingStashingPersists == 0) internalStash!.UnstashAll();
                break;
            case ReplayFailure failure:
                FailRecovery(failure.Cause, null);
                break;
            case WriteMessagesSuccess success:
                OnWriteSuccess(success.HighestSequenceNr);
                break;
            case WriteMessagesFailure failure:
                OnWriteFailure(failure);
                break;
        }
    }

    /// <summary>Runs the handlers of every event up to <paramref name="highest"/>, and the deferred ones between them.</summary>
    private void OnWriteSuccess(long highest)
    {
        // A handler may persist again: its events get higher sequence numbers and wait for their own reply.
        while (pendingInvocations.TryPeek(out var invocation) && (invocation.Deferred || invocation.SequenceNr <= highest))
        {
            pendingInvocations.Dequeue();
            if (!invocation.Deferred)
            {
                LastSequenceNr = invocation.SequenceNr;
                if (invocation.Stashing) pendingStashingPersists--;
            }

            invocation.Handler(invocation.Event);
        }

        FlushBatch();
        if (pendingStashingPersists == 0) internalStash!.UnstashAll();
    }

    private void OnWriteFailure(WriteMessagesFailure failure)
    {
        var evt = pendingInvocations.TryPeek(out var invocation) ? invocation.Event : (object)failure.Cause;
        phase = Phase.Stopping;
        try
        {
            OnPersistFailure(failure.Cause, evt, failure.SequenceNr);
        }
        finally
        {
            Context.Stop(Self);
        }
    }

    private bool RunRecoveryHandler(object message, object? evt)
    {
        try
        {
            foreach (var handler in recoveryHandlers)
            {
                if (handler(message)) break;
            }

            return true;
        }
        catch (Exception e)
        {
            FailRecovery(e, evt);
            return false;
        }
    }

    private void FailRecovery(Exception cause, object? evt)
    {
        if (phase == Phase.Stopping) return;
        phase = Phase.Stopping;
        try
        {
            OnRecoveryFailure(cause, evt);
        }
        finally
        {
            Context.Stop(Self);
        }
    }
}
