using System.Net;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests;

/// <summary>
/// Byte vectors worked out by hand from the RFC and draft figures (offsets in the comments are from the start of
/// the Mobility Header, the reference point of each option's "xn+y" alignment).
/// </summary>
public class GoldenVectorTests
{
    [Fact]
    public void Proxy_binding_update_matches_the_rfc_5213_layout_byte_for_byte()
    {
        var message = new ProxyBindingUpdate(0x1234,
            BindingUpdateFlags.Acknowledge | BindingUpdateFlags.HomeRegistration | BindingUpdateFlags.ProxyRegistration,
            0x0E10, MobileNodeIdentifier.Nai("mn1@example.net"),
            new[] { new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:2::"), 64) },
            HandoffIndicator.AttachmentOverNewInterface, AccessTechnologyType.Ieee80211);

        var expected =
            "3B0705000000"                           // proto 59, hlen 7 (64 bytes), MH type 5, reserved, checksum 0
            + "1234" + "C200" + "0E10"               // sequence, A|H|P flags, lifetime 3600 units
            + "081001" + "6D6E31406578616D706C652E6E6574" // MN-ID at 12: NAI "mn1@example.net"
            + "010400000000"                         // PadN to 36 = 8n+4
            + "16120040" + "20010DB8000100020000000000000000" // HNP at 36: 2001:db8:1:2::/64
            + "17020001"                             // Handoff Indicator at 56: attachment over a new interface
            + "18020004";                            // Access Technology Type at 60: IEEE 802.11

        Assert.Equal(expected, Convert.ToHexString(Samples.Encode(message)));
    }

    [Fact]
    public void Proxy_binding_ack_without_options_is_padded_to_sixteen_bytes()
    {
        var message = new ProxyBindingAck(BindingAckStatus.Accepted, BindingAckFlags.ProxyRegistration, 0x1234, 0x0E10);

        Assert.Equal("3B0106000000002012340E1001020000", Convert.ToHexString(Samples.Encode(message)));
    }

    [Fact]
    public void Heartbeat_matches_the_rfc_5847_layout()
    {
        Assert.Equal("3B010D000000000101020304" + "01020000",
            Convert.ToHexString(Samples.Encode(new Heartbeat(false, true, 0x01020304))));
    }

    [Fact]
    public void Fhrq_with_an_ipv6_flow_matches_the_draft_layout()
    {
        var flow = new FlowTuple(FlowAddress.Host(IPAddress.Parse("2001:db8::1")), FlowAddress.AnyIPv6, 0, 443,
            PhbId.Default, PhbId.ExpeditedForwarding);
        var message = new FlowHandoverRequest(7, false, 30, MobileNodeIdentifier.Nai("mn1"), new[] { flow });

        var expected =
            "3B09C8000000" + "0007" + "0000" + "001E" // MH type 200, sequence 7, R=0 C=0, 30 s
            + "0804016D6E31"                         // MN-ID at 12
            + "0100"                                 // PadN (0 data bytes) to 20 = 8n+4
            + "16120080" + "20010DB8000000000000000000000001" // source 2001:db8::1/128 in the HNP format
            + "01020000"                             // PadN to 44 = 8n+4
            + "16120000" + "00000000000000000000000000000000" // destination ::/0, the wildcard
            + "CA060000" + "0000" + "01BB"           // ports at 64 (4n): any -> 443
            + "CB020000"                             // QoS uplink at 72 (2n): default PHB
            + "CB02B800";                            // QoS downlink at 76: EF (DSCP 46 << 10)

        Assert.Equal(expected, Convert.ToHexString(Samples.Encode(message)));
    }

    [Fact]
    public void Fhrp_with_an_ipv4_flow_matches_the_draft_layout()
    {
        var flow = new FlowTuple(FlowAddress.Host(IPAddress.Parse("192.0.2.1")), FlowAddress.Host(IPAddress.Parse("198.51.100.7")),
            5060, 80, PhbId.ExpeditedForwarding, PhbId.ExpeditedForwarding);
        var message = new FlowHandoverReply(7, false, FlowHandoverStatus.Success, 30, MobileNodeIdentifier.Nai("mn1"), new[] { flow });

        var expected =
            "3B06C8000000" + "0007" + "8000" + "001E" // R=1, U=0, status 0
            + "0804016D6E31" + "0100"                // MN-ID, PadN to 20 = 4n
            + "C9060000" + "C0000201"                // IPv4 source 192.0.2.1
            + "C9060000" + "C6336407"                // IPv4 destination 198.51.100.7
            + "CA060000" + "13C4" + "0050"           // ports 5060 -> 80
            + "CB02B800" + "CB02B800"                // QoS EF both ways
            + "01020000";                            // PadN to 56

        Assert.Equal(expected, Convert.ToHexString(Samples.Encode(message)));
    }

    [Fact]
    public void The_authentication_option_is_last_aligned_4n_plus_1_and_ends_the_message()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityMessageAuthentication.EncodeSigned(Samples.Pbu(), buffer, 0x01020304, key);
        var packet = buffer.AsSpan(0, length);
        var optionStart = length - 39;

        Assert.Equal(1, optionStart % 4);
        Assert.Equal("092501" + "01020304", Convert.ToHexString(packet.Slice(optionStart, 7)));

        // Independent computation: HMAC-SHA256 over everything before the authenticator, checksum zeroed.
        var covered = packet[..(optionStart + 7)].ToArray();
        covered[4] = covered[5] = 0;
        var mac = System.Security.Cryptography.HMACSHA256.HashData(key, covered);
        Assert.Equal(Convert.ToHexString(mac), Convert.ToHexString(packet[(optionStart + 7)..]));
    }
}
