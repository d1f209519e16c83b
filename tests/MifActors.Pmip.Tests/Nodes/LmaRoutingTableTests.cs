using System.Net;
using MifActors.Pmip.Internal;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>The forwarding decision behind <see cref="Lma.Route"/>: FFE most specific first, then the BCE.</summary>
public sealed class LmaRoutingTableTests
{
    private static readonly MagAddress Cellular = new(IPAddress.Parse("2001:db8:c::1"));
    private static readonly MagAddress Wifi = new(IPAddress.Parse("2001:db8:a::1"));
    private static readonly MagAddress Wlan2 = new(IPAddress.Parse("2001:db8:a::2"));
    private static readonly MagAddress Wlan3 = new(IPAddress.Parse("2001:db8:a::3"));
    private static readonly MobileNodeIdentifier Mn = MobileNodeIdentifier.Nai("mn1@example.net");
    private static readonly IPAddress Server = IPAddress.Parse("2001:db8:ffff::80");
    private static readonly IPAddress MnAddress = IPAddress.Parse("2001:db8:1:1::100");

    [Fact]
    public void A_flow_without_an_FFE_goes_to_the_MAG_of_the_BCE_that_holds_its_destination_prefix()
    {
        var table = TableWithBinding();
        Assert.Equal(Cellular, table.Route(Flow(Server, MnAddress, 443, 50000)));
        Assert.Equal(Cellular, table.Route(Flow(MnAddress, Server, 50000, 443)));
        Assert.Equal(MagAddress.None, table.Route(Flow(Server, IPAddress.Parse("2001:db8:9::1"), 443, 50000)));
    }

    [Fact]
    public void The_most_specific_FFE_wins_and_wildcards_cover_the_rest()
    {
        var table = TableWithBinding();
        var anyPortToMn = new FlowTuple(FlowAddress.AnyIPv6, FlowAddress.Host(MnAddress), 0, 0, PhbId.Default, PhbId.Default);
        var httpsToMn = anyPortToMn with { SourcePort = 443 };
        var exact = Flow(Server, MnAddress, 443, 50000);
        table.SetForwarding("mn", FlowKey.Of(anyPortToMn), Wifi);
        table.SetForwarding("mn", FlowKey.Of(httpsToMn), Wlan2);
        table.SetForwarding("mn", FlowKey.Of(exact), Wlan3);

        Assert.Equal(Wlan3, table.Route(exact));
        Assert.Equal(Wlan2, table.Route(exact with { DestinationPort = 50001 }));
        Assert.Equal(Wifi, table.Route(exact with { SourcePort = 80 }));
        Assert.Equal(Wlan3, table.Route(exact with { QosDownlink = PhbId.ExpeditedForwarding }));

        table.RemoveForwarding("mn", FlowKey.Of(exact));
        Assert.Equal(Wlan2, table.Route(exact));
        table.RemoveForwarding("mn", FlowKey.Of(httpsToMn));
        table.RemoveForwarding("mn", FlowKey.Of(anyPortToMn));
        Assert.Equal(Cellular, table.Route(exact));
    }

    [Fact]
    public void IPv4_flows_route_by_the_home_address()
    {
        var table = new LmaRoutingTable();
        var hoa = IPAddress.Parse("10.1.0.7");
        table.SetBinding("mn", new BindingCacheEntry(Mn, Cellular, null, hoa, AccessTechnologyType.EUtran, TimeSpan.FromMinutes(10), DateTimeOffset.MaxValue));
        var flow = new FlowTuple(FlowAddress.IPv4(IPAddress.Parse("192.0.2.80")), FlowAddress.IPv4(hoa), 80, 40000, PhbId.Default, PhbId.Default);

        Assert.Equal(Cellular, table.Route(flow));
        table.SetForwarding("mn", FlowKey.Of(flow with { SourcePort = 0 }), Wifi);
        Assert.Equal(Wifi, table.Route(flow));
    }

    [Fact]
    public void Removing_a_BCE_removes_its_prefix_only_if_this_MN_still_owns_it()
    {
        var table = TableWithBinding();
        var entry = Binding(Cellular);
        table.SetBinding("other", Binding(Wifi));
        table.RemoveBinding("mn", entry);

        Assert.Equal(Wifi, table.Route(Flow(Server, MnAddress, 443, 50000)));
    }

    private static LmaRoutingTable TableWithBinding()
    {
        var table = new LmaRoutingTable();
        table.SetBinding("mn", Binding(Cellular));
        return table;
    }

    private static BindingCacheEntry Binding(MagAddress mag) => new(Mn, mag, new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:1::"), 64), null,
        AccessTechnologyType.EUtran, TimeSpan.FromMinutes(10), DateTimeOffset.MaxValue);

    private static FlowTuple Flow(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort) =>
        new(FlowAddress.Host(source), FlowAddress.Host(destination), sourcePort, destinationPort, PhbId.Default, PhbId.Default);
}
