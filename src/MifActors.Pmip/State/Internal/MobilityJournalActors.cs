using MifActors.Actors;
using MifActors.Persistence;

namespace MifActors.Pmip.State.Internal;

internal sealed record AppendEvent(string PersistenceId, object Event);

internal sealed record LoadEvents(string PersistenceId);

internal sealed record ListPersistenceIds(string Prefix);

internal sealed record EventsLoaded(IReadOnlyList<object> Events);

internal sealed record PersistenceIdsListed(IReadOnlyList<string> Ids);

internal sealed record EventAppended
{
    public static EventAppended Instance { get; } = new();
}

[PersistentManifest("pmip.persistence-id-registered.v1")]
internal sealed record PersistenceIdRegistered(string PersistenceId);

/// <summary>
/// <c>/system/pmip-journal</c>: one persistent actor per MN persistence id, and an index of those ids so a restarted
/// node knows which MN actors to bring back (the journal has no "all persistence ids" query).
/// </summary>
internal sealed class MobilityJournalActor : ReceiveActor
{
    private readonly HashSet<string> known = [];
    private readonly IActorRef index;

    public MobilityJournalActor()
    {
        index = Context.ActorOf(Props.Create(() => new PersistenceIdIndexActor()), "index");
        Receive<AppendEvent>(append =>
        {
            if (known.Add(append.PersistenceId)) index.Tell(new PersistenceIdRegistered(append.PersistenceId));
            Journal(append.PersistenceId).Forward(append, Context);
        });
        Receive<LoadEvents>(load => Journal(load.PersistenceId).Forward(load, Context));
        Receive<ListPersistenceIds>(list => index.Forward(list, Context));
    }

    private IActorRef Journal(string persistenceId)
    {
        var name = Uri.EscapeDataString(persistenceId);
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(Props.Create(() => new MobileNodeJournalActor(persistenceId)), name) : child;
    }
}

/// <summary>The events of one MN actor, persisted through <see cref="ReceivePersistentActor"/>.</summary>
internal sealed class MobileNodeJournalActor : ReceivePersistentActor
{
    private readonly List<object> events = [];

    public MobileNodeJournalActor(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<MobilityEventEnvelope>(e => events.Add(MobilityEventSerializer.Unwrap(e)));
        Command<AppendEvent>(append =>
        {
            var sender = Sender;
            Persist(MobilityEventSerializer.Wrap(append.Event), _ =>
            {
                events.Add(append.Event);
                sender.Tell(EventAppended.Instance);
            });
        });
        Command<LoadEvents>(_ => Sender.Tell(new EventsLoaded([.. events])));
    }

    public override string PersistenceId { get; }
}

internal sealed class PersistenceIdIndexActor : ReceivePersistentActor
{
    private readonly HashSet<string> ids = [];

    public PersistenceIdIndexActor()
    {
        Recover<PersistenceIdRegistered>(e => ids.Add(e.PersistenceId));
        Command<PersistenceIdRegistered>(e =>
        {
            if (!ids.Contains(e.PersistenceId)) Persist(e, r => ids.Add(r.PersistenceId));
        });
        Command<ListPersistenceIds>(list => Sender.Tell(new PersistenceIdsListed([.. ids.Where(i => i.StartsWith(list.Prefix, StringComparison.Ordinal))])));
    }

    public override string PersistenceId => "pmip-persistence-ids";
}
