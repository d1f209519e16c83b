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
}

/// <summary>Events in memory, durable the moment they are appended. Thread-safe.</summary>
public sealed class InMemoryMobilityStateStore : IMobilityStateStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<object>> journal = [];

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
}
