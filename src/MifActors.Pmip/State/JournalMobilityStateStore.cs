using MifActors.Actors;
using MifActors.Persistence;
using MifActors.Pmip.State.Internal;

namespace MifActors.Pmip.State;

/// <summary>
/// The MN actors' events in the system's journal (<c>mifactors.persistence</c>: SQLite or PostgreSQL), each under its
/// <c>[PersistentManifest("pmip.….v1")]</c> name. A write goes straight onto the journal's group-commit queue and
/// completes once durable; nothing keeps a second copy of the events in memory. A node started again over the same
/// database reads all its MNs back in one sequential scan. One store per actor system.
/// </summary>
public sealed class JournalMobilityStateStore : IMobilityStateStore
{
    private readonly JournalEvents journal;
    private readonly TimeSpan timeout;

    /// <param name="system">The system whose journal to use.</param>
    /// <param name="timeout">How long a write or a load may take before the MN actor fails and restarts.</param>
    public JournalMobilityStateStore(ActorSystem system, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        journal = JournalEvents.Get(system);
        this.timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public ValueTask PersistAsync(string persistenceId, long sequenceNr, object @event)
    {
        var (manifest, payload) = MobilityEventSerializer.Serialize(@event);
        return new ValueTask(journal.AppendAsync(persistenceId, sequenceNr, manifest, payload).WaitAsync(timeout));
    }

    public async ValueTask<IReadOnlyList<object>> LoadAsync(string persistenceId)
    {
        var events = new List<object>();
        await journal.ReadAsync(persistenceId, (id, seq, manifest, payload) => events.Add(MobilityEventSerializer.Deserialize(id, seq, manifest, payload)))
            .WaitAsync(timeout).ConfigureAwait(false);
        return events;
    }

    // No timeout: reading a million MNs takes what it takes, and the node waits for it anyway. On the pool, since the
    // SQLite read is synchronous once open and the caller is an actor.
    public ValueTask ReplayAllAsync(string prefix, Action<string, object> onEvent) =>
        new(Task.Run(() => journal.ReadAllAsync(prefix,
            (id, seq, manifest, payload) => onEvent(id, MobilityEventSerializer.Deserialize(id, seq, manifest, payload)))));
}
