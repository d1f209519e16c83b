using System.Runtime.CompilerServices;
using MifActors.Actors;
using MifActors.Actors.Internal;
using MifActors.Persistence.Internal;

namespace MifActors.Persistence;

/// <summary>One stored event as a bulk read lends it: the payload is valid only during the call.</summary>
public delegate void JournalEventReader(string persistenceId, long sequenceNr, string manifest, ReadOnlySpan<byte> payload);

/// <summary>One event to append: <see cref="JournalEvents.AppendAllAsync"/> takes many at once.</summary>
public readonly record struct JournalEvent(string PersistenceId, long SequenceNr, string Manifest, byte[] Payload);

/// <summary>
/// The journal of a system without a persistent actor per persistence id, for modules that hold many small entities
/// (a million MNs at one LMA) and serialize their events themselves: appends go straight onto the journal's group-commit
/// queue, and a bulk read brings back every entity under a prefix in one sequential scan instead of one query each.
/// The caller owns sequence numbers (1, 2, 3... per persistence id, as a persistent actor would number them); the
/// journal's uniqueness constraint still rejects a second writer.
/// </summary>
public sealed class JournalEvents
{
    private static readonly ConditionalWeakTable<ActorSystem, JournalEvents> Instances = new();
    private static readonly Lock Gate = new();
    private static long appends;

    private readonly JournalWriter writer;
    private readonly IJournalScan scan;
    private readonly ISnapshotStore snapshots;
    private readonly string writerUuid = Guid.NewGuid().ToString("N");

    private JournalEvents(Persistence persistence)
    {
        writer = persistence.JournalWriter;
        scan = JournalScans.For(persistence.JournalSettings);
        snapshots = Stores.Snapshots(persistence.SnapshotStoreSettings);
    }

    /// <summary>The journal of <paramref name="system"/> (<c>mifactors.persistence.journal</c>), started on the first call.</summary>
    public static JournalEvents Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        lock (Gate)
        {
            if (Instances.TryGetValue(system, out var existing)) return existing;
            var created = new JournalEvents(Persistence.Get(system));
            Instances.Add(system, created);
            return created;
        }
    }

    /// <summary>
    /// Appends one event; the task completes once it is durable, and appends of one persistence id complete in the order
    /// they were made. A sequence number already stored fails the task with <see cref="SequenceConflictException"/>.
    /// </summary>
    public Task AppendAsync(string persistenceId, long sequenceNr, string manifest, byte[] payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceNr, 1);
        var completion = new AppendCompletion();
        var row = new JournalRow(persistenceId, sequenceNr, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), manifest, payload, writerUuid);
        // Negative instance ids: persistent actors count theirs up from 1, and the writer keys failures by instance.
        writer.Enqueue(new WriteMessages([new PendingWrite(new AtomicWrite([row]), null)], completion, -Interlocked.Increment(ref appends), 1));
        return completion.Task;
    }

    /// <summary>
    /// Appends many events in one transaction (a bulk load, an import): all are stored or none, and the task completes
    /// once they are durable. Consecutive events of one persistence id go in together, numbered as
    /// <see cref="AppendAsync"/> expects. A sequence number already stored fails the whole batch with
    /// <see cref="SequenceConflictException"/>. The batch is one write, so it bypasses the
    /// <c>max-rows-per-transaction</c> cap: the caller sizes it. Await it before appending to the same persistence ids
    /// one by one: on PostgreSQL the batch and a single append may take different writer lanes.
    /// </summary>
    public Task AppendAllAsync(IReadOnlyList<JournalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return Task.CompletedTask;
        var created = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var writes = new List<PendingWrite>();
        var rows = new List<JournalRow>();
        foreach (var e in events)
        {
            ArgumentException.ThrowIfNullOrEmpty(e.PersistenceId, nameof(events));
            ArgumentException.ThrowIfNullOrEmpty(e.Manifest, nameof(events));
            ArgumentNullException.ThrowIfNull(e.Payload, nameof(events));
            ArgumentOutOfRangeException.ThrowIfLessThan(e.SequenceNr, 1, nameof(events));
            if (rows.Count > 0 && (rows[^1].PersistenceId != e.PersistenceId || rows[^1].SequenceNr + 1 != e.SequenceNr))
            {
                writes.Add(new PendingWrite(new AtomicWrite(rows), null));
                rows = [];
            }

            rows.Add(new JournalRow(e.PersistenceId, e.SequenceNr, created, e.Manifest, e.Payload, writerUuid));
        }

        writes.Add(new PendingWrite(new AtomicWrite(rows), null));
        var completion = new AppendCompletion();
        writer.Enqueue(new WriteMessages(writes, completion, -Interlocked.Increment(ref appends), events.Count));
        return completion.Task;
    }

    /// <summary>
    /// Every stored event of every persistence id that starts with <paramref name="prefix"/>, in one read: grouped by
    /// persistence id (each id's events together, oldest first), ids in ordinal order. Deleted events are skipped.
    /// Appends not yet durable may or may not be seen.
    /// </summary>
    public Task ReadAllAsync(string prefix, JournalEventReader onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(onEvent);
        return scan.ReadAsync(prefix, exact: false, onEvent, cancellationToken);
    }

    /// <summary>
    /// A position in the journal's global order (its <c>ordering</c> column) such that every event at or before it is
    /// durable and visible to reads, and every event appended later comes after it: what a snapshot of many persistence
    /// ids records, so that recovery reads only what follows it. The highest ordering committed is read first and then
    /// every writer lane drained: an event numbered below it but still in a transaction (PostgreSQL's lanes commit out of
    /// order) is committed by then. Assumes this system is the journal's only writer, as sequence numbers already do.
    /// </summary>
    public async Task<long> DurablePositionAsync(CancellationToken cancellationToken = default)
    {
        var position = await scan.HighestOrderingAsync(cancellationToken).ConfigureAwait(false);
        await writer.BarrierAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return position;
    }

    /// <summary>
    /// The events under <paramref name="prefix"/> after position <paramref name="after"/> and up to
    /// <paramref name="upTo"/> (see <see cref="DurablePositionAsync"/>), grouped and ordered as <see cref="ReadAllAsync(string, JournalEventReader, CancellationToken)"/> does.
    /// </summary>
    public Task ReadAllAsync(string prefix, long after, long upTo, JournalEventReader onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(onEvent);
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        return scan.ReadRangeAsync(prefix, after, upTo, onEvent, cancellationToken);
    }

    /// <summary>
    /// Stores a snapshot of many persistence ids (a node's) under <paramref name="snapshotId"/>, taken at journal position
    /// <paramref name="position"/>. One row in one statement: a crash while it is written leaves the older snapshots as
    /// they were.
    /// </summary>
    public Task SaveSnapshotAsync(string snapshotId, long position, string manifest, byte[] payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        ArgumentNullException.ThrowIfNull(payload);
        return snapshots.SaveAsync(new SnapshotRow(snapshotId, position, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), manifest, payload), cancellationToken);
    }

    /// <summary>The snapshots under <paramref name="snapshotId"/>, newest (highest position) first.</summary>
    public async IAsyncEnumerable<(long Position, string Manifest, byte[] Payload)> LoadSnapshotsAsync(string snapshotId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        await foreach (var row in snapshots.LoadAsync(snapshotId, SnapshotSelectionCriteria.Latest, cancellationToken).ConfigureAwait(false))
        {
            yield return (row.SequenceNr, row.Manifest, row.Payload);
        }
    }

    /// <summary>Deletes the snapshots under <paramref name="snapshotId"/> taken before <paramref name="position"/>.</summary>
    public Task DeleteSnapshotsBeforeAsync(string snapshotId, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        return snapshots.DeleteAsync(snapshotId, new SnapshotSelectionCriteria(position - 1, DateTimeOffset.MaxValue), cancellationToken);
    }

    /// <summary>The stored events of one persistence id, oldest first.</summary>
    public Task ReadAsync(string persistenceId, JournalEventReader onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(onEvent);
        return scan.ReadAsync(persistenceId, exact: true, onEvent, cancellationToken);
    }

    /// <summary>Stands in for the persistent actor the journal writer answers: completes the append's task.</summary>
    private sealed class AppendCompletion : ActorRefBase
    {
        private static readonly ActorPath Appends = ActorPath.TryParse("mif://journal/appends", out var path) ? path! : throw new InvalidOperationException("bad path");
        private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => completion.Task;

        public override ActorPath Path => Appends;

        public override void Tell(object message, IActorRef? sender = null)
        {
            switch (message)
            {
                case WriteMessagesSuccess:
                    completion.TrySetResult();
                    break;
                case WriteMessagesFailure failure:
                    completion.TrySetException(failure.Cause);
                    break;
            }
        }
    }
}
