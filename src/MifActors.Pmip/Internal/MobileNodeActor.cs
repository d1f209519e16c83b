using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MifActors.Pmip.Persistence;

namespace MifActors.Pmip.Internal;

/// <summary>
/// What the MN actors of the LMA and the MAG have in common: a <see cref="ReceivePersistentActor"/> whose state is the
/// fold of its events. Every change goes through <see cref="Record{TEvent}"/> or <see cref="RecordAll"/>, which apply
/// the events and run the continuation only once Akka.Persistence says they are durable, so a PBA, an FHRP or an FFE
/// used for forwarding never announces state a crash could lose (commands wait in Akka.Persistence's stash
/// meanwhile). Every <c>persistence.snapshot-after-events</c> events it saves a snapshot, and recovers from the newest
/// one plus the events after it; <see cref="OnRecovered"/> then re-arms timers and expires what lapsed while down.
/// A write or recovery that fails stops the actor (Akka.Persistence's rule); its node starts it again.
/// </summary>
internal abstract class MobileNodeActor : ReceivePersistentActor, IWithTimers
{
    private readonly int snapshotAfterEvents;
    private int sinceSnapshot;

    protected MobileNodeActor(string persistenceId, PmipSettings settings)
    {
        PersistenceId = persistenceId;
        JournalPluginId = settings.JournalPlugin;
        SnapshotPluginId = settings.SnapshotPlugin;
        snapshotAfterEvents = settings.SnapshotAfterEvents;
        Recover<SnapshotOffer>(offer =>
        {
            Restore(offer.Snapshot);
            sinceSnapshot = 0;
        });
        Recover<IPmipPersistent>(e =>
        {
            Apply(e);
            sinceSnapshot++;
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed =>
            Log.Warning("Could not save a snapshot of {0} at event {1} ({2}); recovery reads the events instead", PersistenceId,
                failed.Metadata.SequenceNr, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => Log.Warning("Could not delete old snapshots of {0}: {1}", PersistenceId, failed.Cause.Message));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The time of the system's scheduler: Akka's TestScheduler moves it in tests.</summary>
    protected DateTimeOffset Now => Context.System.Scheduler.Now;

    /// <summary>Folds one event into the state. Runs on recovery and after each durable write; never sends.</summary>
    protected abstract void Apply(object @event);

    /// <summary>The whole state as one snapshot object.</summary>
    protected abstract IPmipPersistent TakeSnapshot();

    /// <summary>Replaces the state with a snapshot's.</summary>
    protected abstract void Restore(object snapshot);

    /// <summary>The state is back: re-arm timers, expire what lapsed while down.</summary>
    protected abstract void OnRecovered();

    /// <summary>Makes the event durable, then applies it and runs <paramref name="then"/>.</summary>
    protected void Record<TEvent>(TEvent @event, Action<TEvent>? then = null)
        where TEvent : IPmipPersistent =>
        Persist(@event, durable =>
        {
            Apply(durable);
            then?.Invoke(durable);
            Recorded();
        });

    /// <summary>Makes the events of one command durable together (one atomic write), then applies each and runs <paramref name="then"/>.</summary>
    protected void RecordAll(IReadOnlyList<IPmipPersistent> events, Action<IPmipPersistent>? then = null)
    {
        if (events.Count == 0) return;
        PersistAll(events, durable =>
        {
            Apply(durable);
            then?.Invoke(durable);
            Recorded();
        });
    }

    private void Recorded()
    {
        if (++sinceSnapshot < snapshotAfterEvents) return;
        sinceSnapshot = 0;
        SaveSnapshot(TakeSnapshot());
    }
}
