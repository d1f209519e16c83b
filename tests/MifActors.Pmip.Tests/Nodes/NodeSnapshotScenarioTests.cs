using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>The LMA writing its own node snapshots on its timer, and a restart that reads one plus the events after it.</summary>
public sealed class NodeSnapshotScenarioTests(ITestOutputHelper output)
    : PmipScenario(output, ("lma:snapshot-interval", "10s"), ("lma:snapshot-after-events", "1"))
{
    [Fact]
    public void An_LMA_snapshots_on_its_timer_and_after_a_restart_has_both_the_snapshot_s_state_and_the_cease_that_followed_it()
    {
        Build();
        HandOverWww();
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));

        Advance(TimeSpan.FromSeconds(10));
        // The snapshot is made on the thread pool, outside virtual time: wait for the store to hold it.
        Assert.True(SpinWait.SpinUntil(() => Snapshots().Count > 0, TimeSpan.FromSeconds(20)), "no node snapshot was written");
        var taken = Assert.Single(Snapshots());
        Assert.True(taken > 0);

        Assert.Equal(FlowDecisionKind.CeaseRequested, Notify(new FlowEnded(Mn, PmipLab.Www)).Kind);
        WaitForIdle();
        StopNode(Lab.Lma.Ref);
        Lab.StartLma();
        WaitForIdle();

        Assert.Equal([taken], Snapshots());
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
        var lma = LmaState();
        Assert.Equal(2, lma.Bindings.Count);
        Assert.Empty(lma.FlowForwardingEntries);
    }

    private List<long> Snapshots() =>
        [.. Lab.LmaStore.LoadSnapshotsAsync(LmaNodeRecovery.SnapshotId("lma")).ToBlockingEnumerable().Select(s => s.Position)];
}
