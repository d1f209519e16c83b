namespace MifActors.Pmip.State;

/// <summary>
/// Where the MN actors of an LMA or MAG keep their events (BCE, BULE and FFE changes, handled FHRQs). The seam the
/// persistence module's journal plugs into; <see cref="InMemoryMobilityStateStore"/> is the one tests use, and it
/// outlives the actors, so it survives their restarts as a journal would.
/// </summary>
public interface IMobilityStateStore
{
    /// <summary>Appends one event; the task completes once the event is durable.</summary>
    ValueTask PersistAsync(string persistenceId, object @event);

    /// <summary>All events of one actor, oldest first.</summary>
    ValueTask<IReadOnlyList<object>> LoadAsync(string persistenceId);

    /// <summary>The persistence ids that start with <paramref name="prefix"/>: which MN actors to bring back after a restart.</summary>
    ValueTask<IReadOnlyList<string>> PersistenceIdsAsync(string prefix);
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

    public ValueTask PersistAsync(string persistenceId, object @event)
    {
        lock (gate)
        {
            if (!journal.TryGetValue(persistenceId, out var events)) journal[persistenceId] = events = [];
            events.Add(@event);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<object>> LoadAsync(string persistenceId) => ValueTask.FromResult(Events(persistenceId));

    public ValueTask<IReadOnlyList<string>> PersistenceIdsAsync(string prefix)
    {
        lock (gate) return ValueTask.FromResult<IReadOnlyList<string>>(journal.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToArray());
    }
}
