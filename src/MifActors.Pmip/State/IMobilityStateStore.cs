namespace MifActors.Pmip.State;

/// <summary>
/// Where the MN actors of an LMA or MAG keep their events (BCE, BULE and FFE changes, handled FHRQs). The seam the
/// persistence module's journal plugs into; <see cref="InMemoryMobilityStateStore"/> is the one tests use, and it
/// outlives the actors, so it survives their restarts as a journal would.
/// </summary>
public interface IMobilityStateStore
{
    /// <summary>
    /// Appends one event as number <paramref name="sequenceNr"/> of its actor (1 for the first); the task completes once
    /// the event is durable, and fails if that number is taken (another writer of the same MN).
    /// </summary>
    ValueTask PersistAsync(string persistenceId, long sequenceNr, object @event);

    /// <summary>All events of one actor, oldest first.</summary>
    ValueTask<IReadOnlyList<object>> LoadAsync(string persistenceId);

    /// <summary>
    /// Every event of every actor whose persistence id starts with <paramref name="prefix"/>, in one pass: a node brings
    /// back all its MNs with it after a restart. Each actor's events come together and oldest first. The callback runs
    /// on the reading thread, one event at a time.
    /// </summary>
    ValueTask ReplayAllAsync(string prefix, Action<string, object> onEvent);

    /// <summary>
    /// A position in the store's global order: every event persisted so far is at or before it and durable, every later
    /// one comes after it. A node snapshot records it, and recovery reads only what follows.
    /// </summary>
    ValueTask<long> DurablePositionAsync();

    /// <summary>As <see cref="ReplayAllAsync"/>, but only the events after <paramref name="after"/> and up to <paramref name="upTo"/>.</summary>
    ValueTask ReplayRangeAsync(string prefix, long after, long upTo, Action<string, object> onEvent);

    /// <summary>
    /// Stores a node's snapshot, taken at <paramref name="position"/>; older ones are deleted once it is stored. A crash
    /// meanwhile leaves the older ones in place.
    /// </summary>
    ValueTask SaveSnapshotAsync(string snapshotId, long position, byte[] snapshot);

    /// <summary>The node's snapshots, newest first (a caller that cannot read one falls back to the next).</summary>
    IAsyncEnumerable<(long Position, byte[] Snapshot)> LoadSnapshotsAsync(string snapshotId);
}

/// <summary>Events in memory, durable the moment they are appended. Thread-safe.</summary>
public sealed class InMemoryMobilityStateStore : IMobilityStateStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<object>> journal = [];
    // Every event with its position (its index + 1): what ReplayRangeAsync reads.
    private readonly List<(string Id, object Event)> log = [];
    private readonly Dictionary<string, List<(long Position, byte[] Snapshot)>> snapshots = [];

    public int EventCount
    {
        get
        {
            lock (gate) return journal.Values.Sum(events => events.Count);
        }
    }

    public IReadOnlyList<object> Events(string persistenceId)
    {
        lock (gate) return journal.TryGetValue(persistenceId, out var events) ? [.. events] : [];
    }

    public ValueTask PersistAsync(string persistenceId, long sequenceNr, object @event)
    {
        lock (gate)
        {
            if (!journal.TryGetValue(persistenceId, out var events)) journal[persistenceId] = events = [];
            if (sequenceNr != events.Count + 1)
            {
                return ValueTask.FromException(new InvalidOperationException(
                    $"{persistenceId}: event {sequenceNr} cannot follow event {events.Count}; another writer of this MN is running"));
            }

            events.Add(@event);
            log.Add((persistenceId, @event));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<object>> LoadAsync(string persistenceId) => ValueTask.FromResult(Events(persistenceId));

    public ValueTask ReplayAllAsync(string prefix, Action<string, object> onEvent)
    {
        List<(string Id, object[] Events)> copy;
        lock (gate)
        {
            copy = [.. journal.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => (p.Key, p.Value.ToArray()))];
        }

        foreach (var (id, events) in copy)
        {
            foreach (var @event in events) onEvent(id, @event);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> DurablePositionAsync()
    {
        lock (gate) return ValueTask.FromResult((long)log.Count);
    }

    public ValueTask ReplayRangeAsync(string prefix, long after, long upTo, Action<string, object> onEvent)
    {
        List<(string Id, object Event)> copy;
        lock (gate)
        {
            var from = (int)Math.Min(after, log.Count);
            copy = [.. log.Skip(from).Take((int)Math.Min(upTo, log.Count) - from).Where(e => e.Id.StartsWith(prefix, StringComparison.Ordinal))];
        }

        // Stable: each id's events keep their order.
        foreach (var (id, @event) in copy.OrderBy(e => e.Id, StringComparer.Ordinal)) onEvent(id, @event);
        return ValueTask.CompletedTask;
    }

    public ValueTask SaveSnapshotAsync(string snapshotId, long position, byte[] snapshot)
    {
        lock (gate) snapshots[snapshotId] = [(position, snapshot.ToArray())];
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<(long Position, byte[] Snapshot)> LoadSnapshotsAsync(string snapshotId)
    {
        List<(long, byte[])> copy;
        lock (gate) copy = snapshots.TryGetValue(snapshotId, out var stored) ? [.. stored] : [];
        foreach (var snapshot in copy)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield return snapshot;
        }
    }
}
