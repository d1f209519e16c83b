using Akka.Actor;
using System.Net;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>
/// Unauthenticated and replayed signalling (issue 5, "Security and bad input"): dropped, counted, logged, and no state
/// changes.
/// </summary>
public sealed class SecurityScenarioTests(ITestOutputHelper output) : PmipScenario(output, ("flow-lifetime", "60s"))
{
    private static readonly MobileNodeIdentifier Intruder = MobileNodeIdentifier.Nai("intruder@example.net");

    [Fact]
    public void A_PBU_signed_with_the_wrong_key_from_an_unknown_peer_or_unsigned_is_dropped_and_counted()
    {
        Build();
        var events = Events("lma").Count;
        var pbu = new ProxyBindingUpdate(1, ProxyBindingUpdate.ProxyFlags, 100, Intruder, new[] { PmipLab.WifiPrefix },
            HandoffIndicator.AttachmentOverNewInterface, AccessTechnologyType.Ieee80211, MobilityTimestamp.FromDateTimeOffset(Scheduler.Now));
        var stranger = IPAddress.Parse("2001:db8:dead::1");

        Lab.Network.Inject(PmipLab.WifiAddress, PmipLab.LmaAddress, Signed(pbu, PmipLab.WifiAddress, PmipLab.LmaAddress, spi: 0x100, key: new byte[32]));
        Lab.Network.Inject(stranger, PmipLab.LmaAddress, Signed(pbu, stranger, PmipLab.LmaAddress, spi: 0x100, key: PmipLab.WifiKey));
        Lab.Network.Inject(PmipLab.WifiAddress, PmipLab.LmaAddress, Unsigned(pbu, PmipLab.WifiAddress, PmipLab.LmaAddress));
        Settle();

        Assert.Equal(3, Lab.Lma.Counters.Unauthenticated);
        Assert.Equal(events, Events("lma").Count);
        Assert.Empty(Events("lma", Intruder));
        Lab.Lma.Ref.Tell(new LocalMobilityAnchor.GetLmaMobileNode(Intruder), TestActor);
        Assert.Empty(ExpectMsg<LocalMobilityAnchor.LmaMobileNodeState>().Bindings);
        Assert.Equal(0, SentCount<ProxyBindingAck>(a => a.MobileNodeIdentifier == Intruder));
    }

    [Fact]
    public void A_forged_FHRQ_does_not_make_the_MAG_forward_anything()
    {
        Build();
        var fhrq = new FlowHandoverRequest(1, false, 60, Mn, new[] { PmipLab.Www });

        Lab.Network.Inject(PmipLab.LmaAddress, PmipLab.WifiAddress, Signed(fhrq, PmipLab.LmaAddress, PmipLab.WifiAddress, spi: 0x100, key: PmipLab.CellularKey));
        Settle();

        Assert.Equal(1, Lab.Wifi.Counters.Unauthenticated);
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(0, SentCount<FlowHandoverReply>());
    }

    [Fact]
    public void A_replayed_PBU_after_de_registration_does_not_bring_the_binding_back()
    {
        Build();
        var registration = Lab.Network.Sent.First(d => d.From.Equals(PmipLab.WifiAddress) && d.Message is ProxyBindingUpdate);
        Lab.Wifi.Ref.Tell(new MobileNodeDetached(Mn));
        Settle();
        Assert.Single(LmaState().Bindings);
        var events = Events("lma").Count;

        Lab.Network.Inject(registration.From, registration.To, registration.Bytes);
        Settle();

        Assert.Single(LmaState().Bindings);
        Assert.Equal(1, Lab.Lma.Counters.Replayed);
        Assert.Equal(events, Events("lma").Count);
    }

    [Fact]
    public void A_PBU_replayed_outside_the_timestamp_window_is_dropped()
    {
        Build();
        var registration = Lab.Network.Sent.First(d => d.From.Equals(PmipLab.CellularAddress) && d.Message is ProxyBindingUpdate);
        Advance(TimeSpan.FromSeconds(1));

        Lab.Network.Inject(registration.From, registration.To, registration.Bytes);
        Settle();

        Assert.Equal(1, Lab.Lma.Counters.Replayed);
        Assert.Equal(2, SentCount<ProxyBindingAck>());
    }

    [Fact]
    public void An_old_FHRQ_replayed_after_a_newer_one_is_dropped_by_the_MAG()
    {
        Build();
        HandOverWww();
        Notify(new LocalMobilityAnchor.FlowEnded(Mn, PmipLab.Www));
        var first = Lab.Network.Sent.First(d => d.Message is FlowHandoverRequest { Cease: false });
        var applied = WifiState().FhrqsApplied;

        Lab.Network.Inject(first.From, first.To, first.Bytes);
        Settle();

        Assert.Equal(1, Lab.Wifi.Counters.Replayed);
        Assert.Equal(applied, WifiState().FhrqsApplied);
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void An_old_FHRP_replayed_to_the_LMA_is_dropped()
    {
        Build();
        HandOverWww();
        Notify(new LocalMobilityAnchor.FlowEnded(Mn, PmipLab.Www));
        var reply = Lab.Network.Sent.First(d => d.Message is FlowHandoverReply);

        Lab.Network.Inject(reply.From, reply.To, reply.Bytes);
        Settle();

        Assert.Equal(1, Lab.Lma.Counters.Replayed);
        Assert.Empty(LmaState().FlowForwardingEntries);
    }

    internal static byte[] Signed(MobilityMessage message, IPAddress from, IPAddress to, uint spi, byte[] key)
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityMessageAuthentication.EncodeSigned(message, buffer, spi, key);
        MobilityHeaderChecksum.Write(buffer.AsSpan(0, length), from, to);
        return buffer[..length];
    }

    private static byte[] Unsigned(MobilityMessage message, IPAddress from, IPAddress to)
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityHeaderCodec.Encode(message, buffer, from, to);
        return buffer[..length];
    }
}
