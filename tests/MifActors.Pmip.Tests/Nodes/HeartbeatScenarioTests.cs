using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>RFC 5847 heartbeats between the LMA and its MAGs, and what a dead MAG means for flow handover.</summary>
public sealed class HeartbeatScenarioTests(ITestOutputHelper output)
    : PmipScenario(output, ("heartbeat-interval", "10s"), ("heartbeat-missed-limit", "3"), ("flow-lifetime", "600s"))
{
    [Fact]
    public void A_MAG_that_stops_answering_heartbeats_loses_its_FFEs_to_the_BCEs()
    {
        Build();
        HandOverWww();
        Lab.Network.Drop(d => d.From.Equals(PmipLab.WifiAddress), count: int.MaxValue);

        Advance(Lab.Settings.HeartbeatInterval * (Lab.Settings.HeartbeatMissedLimit + 1));

        Assert.Empty(LmaState().FlowForwardingEntries);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void Heartbeats_answered_keep_the_FFEs()
    {
        Build();
        HandOverWww();

        Advance(Lab.Settings.HeartbeatInterval * (Lab.Settings.HeartbeatMissedLimit + 1));

        Assert.True(SentCount<Heartbeat>(h => h.Response) >= Lab.Settings.HeartbeatMissedLimit + 1);
        Assert.Single(LmaState().FlowForwardingEntries);
    }

    [Fact]
    public void After_an_LMA_restart_heartbeats_resume_and_a_MAG_that_died_meanwhile_loses_its_FFEs()
    {
        Build();
        HandOverWww();
        StopNode(Lab.Lma.Ref);
        Lab.Network.Drop(d => d.From.Equals(PmipLab.WifiAddress), count: int.MaxValue);

        Lab.StartLma();
        Settle();
        Assert.Single(LmaState().FlowForwardingEntries);
        Advance(Lab.Settings.HeartbeatInterval * (Lab.Settings.HeartbeatMissedLimit + 1));

        Assert.Empty(LmaState().FlowForwardingEntries);
        Assert.Equal(2, LmaState().Bindings.Count);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }
}
