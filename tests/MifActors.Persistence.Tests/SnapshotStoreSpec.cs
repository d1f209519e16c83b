using MifActors.Persistence.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace MifActors.Persistence.Tests;

/// <summary>What every snapshot store must do; subclassed per store.</summary>
public abstract class SnapshotStoreSpec(IConfiguration configuration) : TestKit.TestKit(configuration: configuration)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public void Recovery_starts_from_the_newest_snapshot_and_replays_only_later_events()
    {
        var pid = "s-" + Guid.NewGuid().ToString("N");
        var actor = Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        ExpectMsg<Recovered>(Long);
        actor.Tell(new AddAll(["a", "b"]), TestActor);
        ReceiveN(2, Long);
        actor.Tell(new TakeSnapshot(), TestActor);
        Assert.Equal(2, ExpectMsg<SaveSnapshotSuccess>(Long).Metadata.SequenceNr);
        actor.Tell(new Add("c"), TestActor);
        ExpectMsg<Persisted>(Long);
        // Without the events the snapshot covers, only the snapshot can bring "a" and "b" back.
        actor.Tell(new DeleteEvents(2), TestActor);
        ExpectMsg<DeleteMessagesSuccess>(Long);
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        var recovered = ExpectMsg<Recovered>(Long);
        Assert.Equal(["a", "b", "c"], recovered.Values);
        Assert.Equal(3, recovered.LastSequenceNr);
    }

    [Fact]
    public void Deleted_snapshots_are_not_offered_again()
    {
        var pid = "s-" + Guid.NewGuid().ToString("N");
        var actor = Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        ExpectMsg<Recovered>(Long);
        actor.Tell(new Add("a"), TestActor);
        ExpectMsg<Persisted>(Long);
        actor.Tell(new TakeSnapshot(), TestActor);
        ExpectMsg<SaveSnapshotSuccess>(Long);
        actor.Tell(new DeleteAllSnapshots(), TestActor);
        ExpectMsg<DeleteSnapshotsSuccess>(Long);
        actor.Tell(new DeleteEvents(1), TestActor);
        ExpectMsg<DeleteMessagesSuccess>(Long);
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        var recovered = ExpectMsg<Recovered>(Long);
        Assert.Empty(recovered.Values);
        Assert.Equal(1, recovered.LastSequenceNr);
    }
}
