namespace MifActors.Persistence;

/// <summary>Which snapshots an operation applies to: sequence numbers and timestamps, both bounds inclusive.</summary>
public sealed record SnapshotSelectionCriteria(
    long MaxSequenceNr,
    DateTimeOffset MaxTimestamp,
    long MinSequenceNr = 0,
    DateTimeOffset? MinTimestamp = null)
{
    /// <summary>The newest snapshot.</summary>
    public static readonly SnapshotSelectionCriteria Latest = new(long.MaxValue, DateTimeOffset.MaxValue);

    /// <summary>No snapshot: recovery replays every event.</summary>
    public static readonly SnapshotSelectionCriteria None = new(0, DateTimeOffset.MinValue);

    internal bool Matches(long sequenceNr, DateTimeOffset timestamp) =>
        sequenceNr <= MaxSequenceNr && sequenceNr >= MinSequenceNr &&
        timestamp <= MaxTimestamp && timestamp >= (MinTimestamp ?? DateTimeOffset.MinValue);
}

/// <summary>
/// An event to persist with tags, for queries across persistence ids: <c>Persist(new Tagged(evt, ["ffe"]), handler)</c>.
/// The journal stores the event with its tags (comma-separated in the <c>tags</c> column); the handler gets this
/// wrapper, recovery the event alone. A tag must be non-empty and must not contain a comma.
/// </summary>
public sealed record Tagged(object Event, IReadOnlyList<string> Tags);

/// <summary>Identifies a stored snapshot.</summary>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTimeOffset Timestamp);

/// <summary>Offered to the <c>Recover&lt;SnapshotOffer&gt;</c> handler before the events after it are replayed.</summary>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Offered to the recovery handlers once, after the last replayed event; commands follow it.</summary>
public sealed record RecoveryCompleted
{
    public static readonly RecoveryCompleted Instance = new();
}

/// <summary>Sent to the actor when the snapshot it asked for with SaveSnapshot is durable.</summary>
public sealed record SaveSnapshotSuccess(SnapshotMetadata Metadata);

public sealed record SaveSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

/// <summary>Sent to the actor when DeleteMessages finished; the highest sequence number is kept.</summary>
public sealed record DeleteMessagesSuccess(long ToSequenceNr);

public sealed record DeleteMessagesFailure(Exception Cause, long ToSequenceNr);

public sealed record DeleteSnapshotsSuccess(SnapshotSelectionCriteria Criteria);

public sealed record DeleteSnapshotsFailure(SnapshotSelectionCriteria Criteria, Exception Cause);
