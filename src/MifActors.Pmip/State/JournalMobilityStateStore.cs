using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Pmip.State.Internal;

namespace MifActors.Pmip.State;

/// <summary>
/// The MN actors' events in the system's journal (<c>mifactors.persistence</c>: SQLite or PostgreSQL), each under its
/// <c>[PersistentManifest("pmip.….v1")]</c> name. A write completes once the journal made it durable; a node started
/// again over the same database recovers every MN it had. One store per actor system.
/// </summary>
public sealed class JournalMobilityStateStore : IMobilityStateStore
{
    private readonly IActorRef journal;
    private readonly TimeSpan timeout;

    /// <param name="system">The system whose journal to use.</param>
    /// <param name="timeout">How long a write or a load may take before the MN actor fails and restarts.</param>
    public JournalMobilityStateStore(ActorSystem system, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        journal = system.SystemActorOf(Props.Create(() => new MobilityJournalActor()), "pmip-journal");
        this.timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public async ValueTask PersistAsync(string persistenceId, object @event) =>
        await journal.Ask<EventAppended>(new AppendEvent(persistenceId, @event), timeout).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<object>> LoadAsync(string persistenceId) =>
        (await journal.Ask<EventsLoaded>(new LoadEvents(persistenceId), timeout).ConfigureAwait(false)).Events;

    public async ValueTask<IReadOnlyList<string>> PersistenceIdsAsync(string prefix) =>
        (await journal.Ask<PersistenceIdsListed>(new ListPersistenceIds(prefix), timeout).ConfigureAwait(false)).Ids;
}
