using MifActors.Actors;

namespace MifActors.Persistence.Internal;

/// <summary>A reply for one incarnation of a persistent actor; replies for an earlier incarnation are dropped.</summary>
internal interface IPersistenceReply
{
    long InstanceId { get; }
}

/// <summary>One Persist/PersistAll call, with the sender of the command that made it (the handler sees it again).</summary>
internal sealed record PendingWrite(AtomicWrite Write, IActorRef? Sender);

/// <summary>The events one actor persisted while handling one message.</summary>
internal sealed record WriteMessages(IReadOnlyList<PendingWrite> Writes, IActorRef PersistentActor, long InstanceId, int RowCount);

/// <summary>Every event of this actor up to and including <paramref name="HighestSequenceNr"/> is durable.</summary>
internal sealed record WriteMessagesSuccess(long HighestSequenceNr, long InstanceId) : IPersistenceReply;

/// <summary>The write starting at <paramref name="SequenceNr"/> failed; nothing after it is written.</summary>
internal sealed record WriteMessagesFailure(long SequenceNr, Exception Cause, long InstanceId) : IPersistenceReply;

internal sealed record ReplayMessages(string PersistenceId, long FromSequenceNr, long ToSequenceNr, long Max, IActorRef PersistentActor, long InstanceId);

internal sealed record ReplayedEvent(long SequenceNr, object Event);

internal sealed record ReplayedMessages(IReadOnlyList<ReplayedEvent> Events, long InstanceId) : IPersistenceReply;

internal sealed record ReplaySuccess(long HighestSequenceNr, long InstanceId) : IPersistenceReply;

internal sealed record ReplayFailure(Exception Cause, long InstanceId) : IPersistenceReply;

/// <summary>Completes once every write queued before it in its lane is committed (or failed).</summary>
internal sealed record JournalBarrier(TaskCompletionSource Passed);

internal sealed record DeleteMessagesTo(string PersistenceId, long ToSequenceNr, IActorRef PersistentActor);

internal sealed record LoadSnapshot(string PersistenceId, SnapshotSelectionCriteria Criteria, IActorRef PersistentActor, long InstanceId);

internal sealed record LoadSnapshotResult(SnapshotOffer? Offer, long InstanceId) : IPersistenceReply;

internal sealed record LoadSnapshotFailed(Exception Cause, long InstanceId) : IPersistenceReply;

internal sealed record SaveSnapshotRequest(SnapshotRow Row, SnapshotMetadata Metadata, IActorRef PersistentActor);

internal sealed record DeleteSnapshotsRequest(string PersistenceId, SnapshotSelectionCriteria Criteria, IActorRef PersistentActor);
