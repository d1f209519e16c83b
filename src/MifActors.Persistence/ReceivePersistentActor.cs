using MifActors.Actors;
using MifActors.Actors.Stash;
using MifActors.Persistence.Internal;
using Microsoft.Extensions.Logging;

namespace MifActors.Persistence;

/// <summary>
/// An event-sourced actor: it recovers its state by replaying its events (after the newest snapshot), then handles
/// commands; a command persists events and acts in the event's handler, which runs only once the event is durable.
/// Commands that arrive while a <see cref="Persist{T}"/> is in flight wait (stashed) until its handler ran.
/// </summary>
public abstract partial class ReceivePersistentActor : ReceiveActor, IWithStash
{
    private static long instances;

    private readonly long instanceId = Interlocked.Increment(ref instances);
    private readonly string writerUuid = Guid.NewGuid().ToString("N");
    private readonly Persistence persistence;
    private readonly List<Func<object, bool>> recoveryHandlers = [];
    private readonly Queue<PendingInvocation> pendingInvocations = new();
    private readonly List<PendingWrite> eventBatch = [];
    private int eventBatchRows;
    private Phase phase = Phase.WaitingToStart;
    private int pendingStashingPersists;
    private long sequenceNr;
    private IStash? internalStash;

    protected ReceivePersistentActor()
    {
        persistence = Persistence.Get(Context.System);
        // Sent from the constructor rather than PreStart so that a subclass overriding PreStart cannot skip recovery.
        Self.Tell(new StartRecovery(instanceId));
    }

    private enum Phase
    {
        WaitingToStart,
        RecoveringSnapshot,
        RecoveringEvents,
        Ready,
        Stopping,
    }

    /// <summary>Names this actor's events in the journal; two living actors must never share it.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The sequence number of the last event recovered or whose handler ran.</summary>
    public long LastSequenceNr { get; private set; }

    /// <summary>True until the last event was replayed and <see cref="RecoveryCompleted"/> offered.</summary>
    public bool IsRecovering => phase is Phase.WaitingToStart or Phase.RecoveringSnapshot or Phase.RecoveringEvents;

    IStash IWithStash.Stash
    {
        get => internalStash!;
        set => internalStash = value;
    }

    /// <summary>Which snapshot recovery starts from; <see cref="SnapshotSelectionCriteria.None"/> replays every event.</summary>
    protected virtual SnapshotSelectionCriteria RecoverySnapshotCriteria => SnapshotSelectionCriteria.Latest;

    /// <summary>Declares a command handler (a message handled once recovery finished).</summary>
    protected void Command<T>(Action<T> handler) => Receive(handler);

    protected void Command<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(shouldHandle, handler);

    protected void CommandAny(Action<object> handler) => ReceiveAny(handler);

    /// <summary>Declares a recovery handler: replayed events, <see cref="SnapshotOffer"/> and <see cref="RecoveryCompleted"/>.</summary>
    protected void Recover<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        recoveryHandlers.Add(message =>
        {
            if (message is not T typed) return false;
            handler(typed);
            return true;
        });
    }

    /// <summary>Stores <paramref name="evt"/>, then runs <paramref name="handler"/>; commands wait until it ran.</summary>
    protected void Persist<T>(T evt, Action<T> handler) where T : notnull => PersistAll([evt], handler, stashing: true);

    /// <summary>Stores the events atomically, then runs the handler for each; commands wait until the last ran.</summary>
    protected void PersistAll<T>(IEnumerable<T> events, Action<T> handler) where T : notnull => PersistAll(events, handler, stashing: true);

    /// <summary>Stores <paramref name="evt"/>, then runs <paramref name="handler"/>; commands keep being handled meanwhile.</summary>
    protected void PersistAsync<T>(T evt, Action<T> handler) where T : notnull => PersistAll([evt], handler, stashing: false);

    protected void PersistAllAsync<T>(IEnumerable<T> events, Action<T> handler) where T : notnull => PersistAll(events, handler, stashing: false);

    /// <summary>Runs <paramref name="handler"/> after the handlers of every event persisted before it; stores nothing.</summary>
    protected void DeferAsync<T>(T evt, Action<T> handler) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (pendingInvocations.Count == 0)
        {
            handler(evt);
            return;
        }

        pendingInvocations.Enqueue(new PendingInvocation(0, evt, e => handler((T)e), Stashing: false, Deferred: true));
    }

    /// <summary>Stores a snapshot at <see cref="LastSequenceNr"/>; the answer is <see cref="SaveSnapshotSuccess"/> or <see cref="SaveSnapshotFailure"/>.</summary>
    protected void SaveSnapshot(object snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var (manifest, payload) = PersistentSerializer.Serialize(snapshot);
        var now = Context.System.TimeProvider.GetUtcNow();
        var metadata = new SnapshotMetadata(PersistenceId, LastSequenceNr, now);
        persistence.SnapshotStore.Tell(new SaveSnapshotRequest(
            new SnapshotRow(PersistenceId, LastSequenceNr, now.ToUnixTimeMilliseconds(), manifest, payload), metadata, Self));
    }

    /// <summary>Deletes events up to and including <paramref name="toSequenceNr"/>; the answer is <see cref="DeleteMessagesSuccess"/> or <see cref="DeleteMessagesFailure"/>.</summary>
    protected void DeleteMessages(long toSequenceNr)
    {
        FlushBatch();
        persistence.JournalWriter.Enqueue(new DeleteMessagesTo(PersistenceId, toSequenceNr, Self));
    }

    /// <summary>Deletes the matching snapshots; the answer is <see cref="DeleteSnapshotsSuccess"/> or <see cref="DeleteSnapshotsFailure"/>.</summary>
    protected void DeleteSnapshots(SnapshotSelectionCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        persistence.SnapshotStore.Tell(new DeleteSnapshotsRequest(PersistenceId, criteria, Self));
    }

    /// <summary>Deletes the snapshot at <paramref name="sequenceNr"/>.</summary>
    protected void DeleteSnapshot(long sequenceNr) =>
        DeleteSnapshots(new SnapshotSelectionCriteria(sequenceNr, DateTimeOffset.MaxValue, sequenceNr));

    /// <summary>
    /// An event could not be stored (the database is down, or another writer holds this persistence id). The state
    /// is unknown, so the actor stops after this returns; put it under a <c>BackoffSupervisor</c> to start it again.
    /// </summary>
    protected virtual void OnPersistFailure(Exception cause, object evt, long sequenceNr) =>
        Context.GetLogger().LogError(cause, "Failed to persist {EventType} with sequence number {SequenceNr} for persistence id {PersistenceId}; stopping",
            evt.GetType().Name, sequenceNr, PersistenceId);

    /// <summary>An event was refused before it was stored (it could not be serialized); the actor carries on.</summary>
    protected virtual void OnPersistRejected(Exception cause, object evt, long sequenceNr) =>
        Context.GetLogger().LogWarning(cause, "Rejected to persist {EventType} with sequence number {SequenceNr} for persistence id {PersistenceId}",
            evt.GetType().Name, sequenceNr, PersistenceId);

    /// <summary>Recovery failed (store unavailable, corrupt or unknown data, or a throwing recovery handler); the actor stops after this returns.</summary>
    protected virtual void OnRecoveryFailure(Exception cause, object? evt) =>
        Context.GetLogger().LogError(cause, "Recovery of persistence id {PersistenceId} failed: {Reason}; stopping", PersistenceId, cause.Message);

    protected override void PostStop()
    {
        phase = Phase.Stopping;
        base.PostStop();
    }

    private void PersistAll<T>(IEnumerable<T> events, Action<T> handler, bool stashing) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(handler);
        if (IsRecovering) throw new InvalidOperationException($"{PersistenceId}: Persist is not allowed while recovering; persist from a command handler");
        var created = Context.System.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<JournalRow>(events is ICollection<T> collection ? collection.Count : 4);
        foreach (var evt in events)
        {
            var tags = evt is Tagged tagged ? JoinTags(tagged) : null;
            byte[] payload;
            string manifest;
            try
            {
                (manifest, payload) = PersistentSerializer.Serialize(evt is Tagged inner ? inner.Event : evt);
            }
            catch (Exception e) when (e is NotSupportedException or System.Text.Json.JsonException)
            {
                OnPersistRejected(e, evt, sequenceNr + 1);
                continue;
            }

            var seq = ++sequenceNr;
            rows.Add(new JournalRow(PersistenceId, seq, created, manifest, payload, writerUuid, Tags: tags));
            pendingInvocations.Enqueue(new PendingInvocation(seq, evt, e => handler((T)e), stashing, Deferred: false));
            if (stashing) pendingStashingPersists++;
        }

        if (rows.Count == 0) return;
        eventBatch.Add(new PendingWrite(new AtomicWrite(rows), Sender));
        eventBatchRows += rows.Count;
    }

    private static string? JoinTags(Tagged tagged)
    {
        ArgumentNullException.ThrowIfNull(tagged.Event);
        ArgumentNullException.ThrowIfNull(tagged.Tags);
        foreach (var tag in tagged.Tags)
        {
            if (string.IsNullOrEmpty(tag) || tag.Contains(','))
            {
                throw new ArgumentException(
                    $"Tag \"{tag}\" of a {tagged.Event.GetType().Name} cannot be stored: tags are stored comma-separated, so a tag must be non-empty and contain no comma",
                    nameof(tagged));
            }
        }

        return tagged.Tags.Count == 0 ? null : string.Join(',', tagged.Tags);
    }

    private void FlushBatch()
    {
        if (eventBatch.Count == 0) return;
        persistence.JournalWriter.Enqueue(new WriteMessages([.. eventBatch], Self, instanceId, eventBatchRows));
        eventBatch.Clear();
        eventBatchRows = 0;
    }

    private sealed record PendingInvocation(long SequenceNr, object Event, Action<object> Handler, bool Stashing, bool Deferred);

    private sealed record StartRecovery(long InstanceId);
}
