using System.Runtime.CompilerServices;
using MifActors.Actors;
using MifActors.Persistence.Internal;

namespace MifActors.Persistence;

/// <summary>
/// The journal and snapshot store of one actor system: one journal actor and one snapshot-store actor under
/// <c>/system</c>, made on first use from <c>mifactors.persistence.*</c>.
/// </summary>
public sealed class Persistence
{
    private static readonly ConditionalWeakTable<ActorSystem, Persistence> Instances = new();
    private static readonly Lock Gate = new();

    private Persistence(ActorSystem system)
    {
        JournalSettings = StoreSettings.Read(system.Configuration, "journal");
        SnapshotStoreSettings = StoreSettings.Read(system.Configuration, "snapshot-store");
        JournalTuning = JournalTuning.Read(system.Configuration);
        JournalWriter = new JournalWriter(Stores.Journal(JournalSettings, JournalTuning.PostgreSqlWriterLanes), JournalTuning.MaxRowsPerTransaction, system.AfterScheduledTurnsStart);
        Journal = system.SystemActorOf(Props.Create(() => new JournalActor(JournalWriter)), "persistence-journal");
        SnapshotStore = system.SystemActorOf(Props.Create(() => new SnapshotStoreActor(SnapshotStoreSettings)), "persistence-snapshot-store");
    }

    public StoreSettings JournalSettings { get; }

    public StoreSettings SnapshotStoreSettings { get; }

    /// <summary>How the journal's writer batches: <c>mifactors.persistence.journal.max-rows-per-transaction</c> and the lanes.</summary>
    internal JournalTuning JournalTuning { get; }

    internal IActorRef Journal { get; }

    /// <summary>The journal actor's write queue; persistent actors enqueue on it directly.</summary>
    internal JournalWriter JournalWriter { get; }

    internal IActorRef SnapshotStore { get; }

    /// <summary>The persistence of <paramref name="system"/>, started on the first call.</summary>
    public static Persistence Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        lock (Gate)
        {
            if (Instances.TryGetValue(system, out var existing)) return existing;
            var created = new Persistence(system);
            Instances.Add(system, created);
            return created;
        }
    }
}
