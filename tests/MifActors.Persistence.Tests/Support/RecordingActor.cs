using MifActors.Actors;

namespace MifActors.Persistence.Tests.Support;

[PersistentManifest("test.added.v1")]
public sealed record Added(string Value);

[PersistentManifest("test.values-snapshot.v1")]
public sealed record ValuesSnapshot(List<string> Values);

public sealed record Add(string Value);

public sealed record AddAll(string[] Values);

public sealed record AddAsync(string Value);

public sealed record AddTagged(string Value, string[] Tags);

public sealed record GetState;

public sealed record State(IReadOnlyList<string> Values, long LastSequenceNr);

public sealed record Persisted(string Value, long SequenceNr);

public sealed record Recovered(IReadOnlyList<string> Values, long LastSequenceNr);

public sealed record TakeSnapshot;

public sealed record DeleteEvents(long ToSequenceNr);

public sealed record DeleteAllSnapshots;

public sealed record RecoveryFailed(string Message);

public sealed record PersistFailed(Exception Cause, long SequenceNr);

/// <summary>Keeps a list of values; tells the probe about recovery, failures and store answers.</summary>
public sealed class RecordingActor : ReceivePersistentActor
{
    private List<string> values = [];

    public RecordingActor(string persistenceId, IActorRef probe)
    {
        PersistenceId = persistenceId;
        Probe = probe;
        Recover<Added>(e => values.Add(e.Value));
        Recover<SnapshotOffer>(o => values = [.. ((ValuesSnapshot)o.Snapshot).Values]);
        Recover<RecoveryCompleted>(_ => probe.Tell(new Recovered([.. values], LastSequenceNr)));
        Command<Add>(c => Persist(new Added(c.Value), e =>
        {
            values.Add(e.Value);
            Sender.Tell(new Persisted(e.Value, LastSequenceNr));
        }));
        Command<AddAll>(c => PersistAll(c.Values.Select(v => new Added(v)), e =>
        {
            values.Add(e.Value);
            Sender.Tell(new Persisted(e.Value, LastSequenceNr));
        }));
        Command<AddAsync>(c =>
        {
            PersistAsync(new Added(c.Value), e =>
            {
                values.Add(e.Value);
                Sender.Tell(new Persisted(e.Value, LastSequenceNr));
            });
            DeferAsync("deferred " + c.Value, d => Sender.Tell(d));
        });
        Command<AddTagged>(c => Persist(new Tagged(new Added(c.Value), c.Tags), t =>
        {
            values.Add(((Added)t.Event).Value);
            Sender.Tell(new Persisted(((Added)t.Event).Value, LastSequenceNr));
        }));
        Command<GetState>(_ => Sender.Tell(new State([.. values], LastSequenceNr)));
        Command<TakeSnapshot>(_ => SaveSnapshot(new ValuesSnapshot([.. values])));
        Command<DeleteEvents>(d => DeleteMessages(d.ToSequenceNr));
        Command<DeleteAllSnapshots>(_ => DeleteSnapshots(SnapshotSelectionCriteria.Latest));
        Command<SaveSnapshotSuccess>(m => probe.Tell(m));
        Command<DeleteMessagesSuccess>(m => probe.Tell(m));
        Command<DeleteSnapshotsSuccess>(m => probe.Tell(m));
    }

    public override string PersistenceId { get; }

    private IActorRef Probe { get; }

    public static Props Props(string persistenceId, IActorRef probe) =>
        Actors.Props.Create(() => new RecordingActor(persistenceId, probe));

    protected override void OnRecoveryFailure(Exception cause, object? evt)
    {
        Probe.Tell(new RecoveryFailed(cause.Message));
        base.OnRecoveryFailure(cause, evt);
    }

    protected override void OnPersistFailure(Exception cause, object evt, long sequenceNr)
    {
        Probe.Tell(new PersistFailed(cause, sequenceNr));
        base.OnPersistFailure(cause, evt, sequenceNr);
    }
}
