using Akka.Actor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>The U-FHRP paths of draft-koodli-flow-handover-00 §3 and §4.2: renewal, and the MN out of coverage.</summary>
public sealed class UnsolicitedReplyScenarioTests(ITestOutputHelper output)
    : PmipScenario(output, ("flow-lifetime", "60s"), ("ffe-renew-before", "10s"))
{
    [Fact]
    public void A_U_FHRP_renewal_is_confirmed_by_an_FHRQ_and_both_FFEs_outlive_their_first_lifetime()
    {
        Build();
        HandOverWww();
        var firstExpiry = WifiState().FlowForwardingEntries.Single().ExpiresAt;

        Advance(TimeSpan.FromSeconds(50));

        Assert.Equal(1, SentCount<FlowHandoverReply>(r => r.Unsolicited && r.Lifetime == 60));
        Assert.Equal(2, SentCount<FlowHandoverRequest>(r => !r.Cease));
        var mag = WifiState();
        Assert.Equal(2, mag.FhrqsApplied);
        Assert.True(mag.FlowForwardingEntries.Single().ExpiresAt > firstExpiry);
        Assert.True(LmaState().FlowForwardingEntries.Single().ExpiresAt > firstExpiry);

        Advance(TimeSpan.FromSeconds(15));
        Assert.Single(WifiState().FlowForwardingEntries);
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void The_MAG_keeps_the_old_lifetime_until_the_LMA_confirms_a_renewal()
    {
        Build();
        HandOverWww();
        Lab.Network.Drop(d => d.Message is FlowHandoverReply { Unsolicited: true }, count: int.MaxValue);

        Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(1, SentCount<FlowHandoverReply>(r => r.Unsolicited));
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Empty(LmaState().FlowForwardingEntries);
    }

    [Fact]
    public void A_U_FHRP_with_lifetime_0_when_the_MN_leaves_is_answered_with_a_cease()
    {
        Build();
        HandOverWww();

        Lab.Wifi.Ref.Tell(new MobileNodeDetached(Mn));
        Settle();

        Assert.Equal(1, SentCount<FlowHandoverReply>(r => r.Unsolicited && r.Lifetime == 0));
        Assert.Equal(1, SentCount<FlowHandoverRequest>(r => r.Cease));
        Assert.Empty(LmaState().FlowForwardingEntries);
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void Until_the_cease_arrives_a_MAG_whose_MN_left_keeps_its_FFE()
    {
        Build();
        HandOverWww();
        Lab.Network.Drop(d => d.Message is FlowHandoverRequest { Cease: true }, count: 1);

        Lab.Wifi.Ref.Tell(new MobileNodeDetached(Mn));
        Settle();
        Assert.Single(WifiState().FlowForwardingEntries);

        Advance(TimeSpan.FromMilliseconds(500));
        Assert.Empty(WifiState().FlowForwardingEntries);
    }
}
