using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>
/// Nodes stopped and started again over the same journal (Akka.Persistence.TestKit's in-memory one, which outlives the
/// actors the way a database outlives a process; the same over SQLite and PostgreSQL, and after kill -9, is in
/// <see cref="Persistence.DurableStoreSpec"/>).
/// </summary>
public sealed class RestartScenarioTests(ITestOutputHelper output) : PmipScenario(output, ("flow-lifetime", "60s"))
{
    [Fact]
    public void An_LMA_restarted_mid_handover_resends_its_FHRQ_and_the_MAG_answers_without_applying_it_twice()
    {
        Build();
        Lab.Network.Drop(d => d.Message is FlowHandoverReply, count: 1);
        HandOverWww();
        Assert.Equal(1, LmaState().PendingRequests);

        StopNode(Lab.Lma.Ref);
        Lab.StartLma();
        Settle();

        var lma = LmaState();
        Assert.Equal(2, lma.Bindings.Count);
        Assert.Single(lma.FlowForwardingEntries);
        Assert.Equal(0, lma.PendingRequests);
        Assert.Equal(1, WifiState().FhrqsApplied);
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
        Assert.Equal(2, SentCount<FlowHandoverRequest>(r => r.SequenceNumber == 1));
    }

    [Fact]
    public void An_LMA_restarted_after_an_FFE_lifetime_passed_expires_it_on_recovery()
    {
        Build();
        HandOverWww();
        StopNode(Lab.Lma.Ref);

        Advance(TimeSpan.FromSeconds(61));
        Lab.StartLma();
        Settle();

        Assert.Empty(LmaState().FlowForwardingEntries);
        Assert.Equal(2, LmaState().Bindings.Count);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void A_restarted_LMA_routes_its_MNs_again_and_an_FFE_that_lapses_later_still_expires()
    {
        Build();
        HandOverWww();
        StopNode(Lab.Lma.Ref);
        Lab.StartLma();
        Settle();
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));

        // Nothing talks to the MN meanwhile: only the timer its actor armed on recovery can expire the FFE.
        Advance(TimeSpan.FromSeconds(61));
        Settle();

        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
        Assert.Empty(LmaState().FlowForwardingEntries);
    }

    [Fact]
    public void A_restarted_LMA_continues_the_FHRQ_sequence_instead_of_reusing_numbers()
    {
        Build();
        HandOverWww();
        StopNode(Lab.Lma.Ref);
        Lab.StartLma();
        Settle();

        Notify(new FlowEnded(Mn, PmipLab.Www));

        Assert.Equal(2, Lab.Network.Sent.Select(d => d.Message).OfType<FlowHandoverRequest>().Last().SequenceNumber);
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(0, Lab.Wifi.Counters.Replayed);
    }

    [Fact]
    public void A_restarted_MAG_recovers_its_BULE_and_FFE_and_still_obeys_a_cease()
    {
        Build();
        HandOverWww();

        StopNode(Lab.Wifi.Ref);
        Lab.StartWifi();
        Settle();

        var mag = WifiState();
        Assert.True(mag.Binding is { Registered: true });
        Assert.Equal(PmipLab.Www, Assert.Single(mag.FlowForwardingEntries).Flow);
        Assert.Equal((ushort)1, mag.LastHandledSequence);

        Notify(new FlowEnded(Mn, PmipLab.Www));
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(2, WifiState().FhrqsApplied);
    }

    [Fact]
    public void A_MAG_restarted_after_its_FFE_lifetime_passed_expires_it_on_recovery()
    {
        Build();
        HandOverWww();
        StopNode(Lab.Wifi.Ref);

        Advance(TimeSpan.FromSeconds(61));
        Lab.StartWifi();
        Settle();

        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.True(WifiState().Binding is { Registered: true });
    }
}
