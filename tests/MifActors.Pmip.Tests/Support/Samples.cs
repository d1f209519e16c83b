using System.Net;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Support;

/// <summary>Messages with every field and option set, shared by round-trip, tshark, fuzz and authentication tests.</summary>
internal static class Samples
{
    public static readonly IPAddress Mag = IPAddress.Parse("2001:db8:a::1");
    public static readonly IPAddress Lma = IPAddress.Parse("2001:db8:b::1");
    public static readonly IPAddress MagV4 = IPAddress.Parse("192.0.2.10");
    public static readonly IPAddress LmaV4 = IPAddress.Parse("192.0.2.20");

    public static ProxyBindingUpdate Pbu() => new(
        SequenceNumber: 4660,
        Flags: ProxyBindingUpdate.ProxyFlags,
        Lifetime: 900,
        MobileNodeIdentifier: MobileNodeIdentifier.Nai("mn1@example.net"),
        HomeNetworkPrefixes: new[] { new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:2::"), 64) },
        HandoffIndicator: HandoffIndicator.AttachmentOverNewInterface,
        AccessTechnologyType: AccessTechnologyType.Ieee80211,
        Timestamp: MobilityTimestamp.FromDateTimeOffset(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)),
        IPv4HomeAddressRequest: new IPv4HomeAddressRequest(24, IPAddress.Parse("0.0.0.0")));

    public static ProxyBindingAck Pba() => new(
        Status: BindingAckStatus.Accepted,
        Flags: BindingAckFlags.ProxyRegistration,
        SequenceNumber: 4660,
        Lifetime: 900,
        MobileNodeIdentifier: MobileNodeIdentifier.Nai("mn1@example.net"),
        HomeNetworkPrefixes: new[]
        {
            new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:2::"), 64),
            new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:3::"), 64),
        },
        HandoffIndicator: HandoffIndicator.AttachmentOverNewInterface,
        AccessTechnologyType: AccessTechnologyType.Ieee80211,
        Timestamp: new MobilityTimestamp(0x0000_6632_2F00_8000),
        IPv4HomeAddressReply: new IPv4HomeAddressReply(0, 24, IPAddress.Parse("10.1.2.3")),
        IPv4DefaultRouterAddress: IPAddress.Parse("10.1.2.1"));

    public static Heartbeat HeartbeatRequest() => new(Unsolicited: false, Response: false, SequenceNumber: 0xDEADBEEF);

    /// <summary>The draft's example: move "www" to Wi-Fi (IPv6 flow) and a VoIP flow over IPv4.</summary>
    public static FlowTuple[] TwoFlows() =>
    [
        new(FlowAddress.Host(IPAddress.Parse("2001:db8:1:2::100")), FlowAddress.AnyIPv6, 0, 443, PhbId.Default, PhbId.Default),
        new(FlowAddress.Host(IPAddress.Parse("10.1.2.3")), FlowAddress.Host(IPAddress.Parse("198.51.100.7")), 5060, 5060,
            PhbId.ExpeditedForwarding, PhbId.ExpeditedForwarding),
    ];

    public static FlowHandoverRequest Fhrq() =>
        new(SequenceNumber: 7, Cease: false, Lifetime: 300, MobileNodeIdentifier.Nai("mn1@example.net"), TwoFlows());

    public static FlowHandoverReply Fhrp() =>
        new(SequenceNumber: 7, Unsolicited: false, FlowHandoverStatus.Success, Lifetime: 300,
            MobileNodeIdentifier.Nai("mn1@example.net"), TwoFlows());

    public static IEnumerable<MobilityMessage> All() =>
    [
        Pbu(), Pba(), HeartbeatRequest(), Fhrq(), Fhrp(),
        new ProxyBindingUpdate(1, ProxyBindingUpdate.ProxyFlags, 0),
        new Heartbeat(true, true, 1),
        Fhrq() with { Cease = true, Lifetime = 0 },
        new FlowHandoverReply(8, true, FlowHandoverStatus.Success, 0, MobileNodeIdentifier.Nai("mn2@example.net"), TwoFlows()[..1]),
        new FlowHandoverReply(9, false, FlowHandoverStatus.Failure, 0, null, ValueList<FlowTuple>.Empty),
    ];

    public static byte[] Encode(MobilityMessage message, MobilityHeaderCodecOptions? options = null)
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityHeaderCodec.Encode(message, buffer, options ?? MobilityHeaderCodecOptions.Default);
        return buffer[..length];
    }
}
