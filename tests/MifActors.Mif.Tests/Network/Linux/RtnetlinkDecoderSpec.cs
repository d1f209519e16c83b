using System.Buffers.Binary;
using System.Net;
using MifActors.Mif.Network.Linux.Internal.Netlink;
using MifActors.Mif.Tests.Network.Linux.Support;

namespace MifActors.Mif.Tests.Network.Linux;

/// <summary>The rtnetlink decoders against messages kernel 6.18 sent (Vectors/rtnetlink-6.18.hex), and against damage.</summary>
public sealed class RtnetlinkDecoderSpec
{
    private const int Veth0 = 2;

    [Fact]
    public void A_link_dump_gives_every_link_with_its_name_index_and_state_and_ends_with_done()
    {
        var (changes, problems, outcome) = ReadAll(Vectors.Rtnetlink("dump-links"));

        Assert.Empty(problems);
        Assert.Equal(RtnetlinkDatagram.Outcome.Done, outcome);
        var links = changes.OfType<LinkChange>().Select(c => c.Link).ToArray();
        Assert.Equal(["lo", "veth0"], links.Select(l => l.Name));
        Assert.True(links[0].IsLoopback);
        Assert.Equal(Veth0, links[1].Index);
        Assert.Equal(1, links[1].LinkType);   // ARPHRD_ETHER
        Assert.Equal(1500, links[1].Mtu);
        Assert.False(links[1].IsLoopback);
    }

    [Fact]
    public void A_link_set_up_is_read_as_up_and_running_and_set_down_as_neither()
    {
        var up = Links("event-link-up").Last();
        var down = Links("event-link-down").First();

        Assert.True(up.IsUp);
        Assert.True(up.IsRunning);
        Assert.False(down.IsUp);
        Assert.False(down.IsRunning);
    }

    [Fact]
    public void An_ipv6_address_added_with_lifetimes_carries_them_from_ifa_cacheinfo()
    {
        var address = Addresses("event-ipv6-address-added").Single(a => a.Address.Address.Equals(IPAddress.Parse("2001:db8:1::10")));

        Assert.False(address.Removed);
        Assert.Equal(Veth0, address.Address.InterfaceIndex);
        Assert.Equal(64, address.Address.PrefixLength);
        Assert.Equal(600u, address.Address.ValidLifetime);
        Assert.Equal(300u, address.Address.PreferredLifetime);
        Assert.Equal(Rtnetlink.AddressNoDad, address.Address.Flags & Rtnetlink.AddressNoDad);
        Assert.False(address.Address.IsTentative);
    }

    [Fact]
    public void An_ipv4_address_added_without_lifetimes_is_forever()
    {
        var address = Addresses("event-ipv4-address-added").Single();

        Assert.Equal(IPAddress.Parse("192.0.2.10"), address.Address.Address);
        Assert.Equal(24, address.Address.PrefixLength);
        Assert.Equal(Rtnetlink.InfiniteLifetime, address.Address.ValidLifetime);
        Assert.Equal(Rtnetlink.InfiniteLifetime, address.Address.PreferredLifetime);
    }

    [Fact]
    public void Link_local_addresses_carry_their_interface_as_scope()
    {
        var linkLocal = Addresses("event-link-up").Select(a => a.Address.Address).Single(a => a.IsIPv6LinkLocal);

        Assert.Equal(Veth0, linkLocal.ScopeId);
    }

    [Fact]
    public void An_address_deleted_is_read_as_removed()
    {
        var removed = Addresses("event-ipv6-address-deleted").Single(a => a.Address.Address.Equals(IPAddress.Parse("2001:db8:1::10")));

        Assert.True(removed.Removed);
    }

    [Fact]
    public void A_host_route_via_a_link_local_gateway_is_read_with_its_protocol_table_and_interface()
    {
        var added = Routes("event-ipv6-route-added").Single();
        var deleted = Routes("event-ipv6-route-deleted").Single();

        Assert.False(added.Removed);
        Assert.True(deleted.Removed);
        var route = added.Route;
        Assert.Equal(IPAddress.Parse("2001:db8:53::53"), route.Destination);
        Assert.Equal(128, route.DestinationLength);
        Assert.Equal(IPAddress.Parse("fe80::2"), new IPAddress(route.Gateway!.GetAddressBytes()));
        Assert.Equal(Veth0, route.OutputInterface);
        Assert.Equal(77, route.Protocol);
        Assert.Equal(Rtnetlink.TableMain, route.Table);
        Assert.Equal(Rtnetlink.TypeUnicast, route.Type);
    }

    [Fact]
    public void A_route_dump_holds_the_connected_ipv4_route_of_the_address()
    {
        var routes = ReadAll(Vectors.Rtnetlink("dump-routes")).Changes.OfType<RouteChange>().Select(c => c.Route).ToArray();

        Assert.Contains(routes, r => r.Destination.Equals(IPAddress.Parse("192.0.2.0")) && r.DestinationLength == 24 && r.OutputInterface == Veth0 && r.Gateway is null);
    }

    [Fact]
    public void A_refused_request_is_read_as_its_errno_and_sequence()
    {
        NetlinkAcknowledgement? answer = null;
        var interrupted = false;
        RtnetlinkDatagram.Read(Vectors.Rtnetlink("error-no-such-device").Single(), [], _ => Assert.Fail("no problem expected"), out answer, ref interrupted);

        Assert.Equal(new NetlinkAcknowledgement(19, 9, null), answer);   // ENODEV
    }

    [Fact]
    public void A_deleted_link_is_read_as_removed()
    {
        var changes = ReadAll(Vectors.Rtnetlink("event-link-deleted")).Changes;

        Assert.Contains(changes, c => c is LinkChange { Removed: true, Link.Name: "veth0" });
    }

    [Fact]
    public void A_message_whose_length_runs_past_the_datagram_is_an_error_naming_both_lengths()
    {
        var datagram = Vectors.Rtnetlink("event-ipv4-address-added")[0].ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(datagram, (uint)datagram.Length + 8);
        var reader = new NetlinkMessageReader(datagram);

        Assert.False(reader.MoveNext(out var error));
        Assert.Equal(NetlinkErrorCode.MessageLengthTooLong, error.Code);
        Assert.Equal($"netlink message at offset 0 says its length is {datagram.Length + 8} but only {datagram.Length} bytes are left", error.Message);
    }

    [Fact]
    public void An_attribute_longer_than_its_message_is_an_error_and_the_message_is_skipped_with_a_sentence()
    {
        var datagram = Vectors.Rtnetlink("event-ipv4-address-added")[0].ToArray();
        // The first attribute after nlmsghdr (16) and ifaddrmsg (8): make its rta_len reach past the message.
        BinaryPrimitives.WriteUInt16LittleEndian(datagram.AsSpan(24), 0xFFF0);
        var problems = new List<string>();
        var changes = new List<RtnetlinkChange>();
        var interrupted = false;

        RtnetlinkDatagram.Read(datagram, changes, problems.Add, out _, ref interrupted);

        Assert.Empty(changes.OfType<AddressChange>());
        Assert.Contains(problems, p => p.StartsWith("rtnetlink message type 20 at byte 0 skipped: attribute at offset 24 says its length is 65520", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ipv6_address_attribute_of_four_bytes_is_a_bad_address_length()
    {
        var payload = new byte[8 + 8];
        payload[0] = 10;   // AF_INET6
        payload[1] = 64;
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(8), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(10), Rtnetlink.AddressLocal);

        var error = RtnetlinkDecoder.DecodeAddress(payload, Rtnetlink.NewAddress, out var address);

        Assert.Null(address);
        Assert.Equal(NetlinkErrorCode.BadAddressLength, error.Code);
        Assert.Equal("address attribute type 2 at offset 24 has 4 bytes; IPv4 needs 4 and IPv6 16", error.Message);
    }

    [Fact]
    public void A_prefix_length_above_128_is_refused()
    {
        var payload = new byte[8];
        payload[0] = 10;
        payload[1] = 129;

        var error = RtnetlinkDecoder.DecodeAddress(payload, Rtnetlink.NewAddress, out _);

        Assert.Equal(NetlinkErrorCode.BadPrefixLength, error.Code);
    }

    [Fact]
    public void A_link_without_a_name_is_missing_an_attribute_and_a_name_with_a_slash_is_refused()
    {
        var nameless = new byte[16];
        Assert.Equal(NetlinkErrorCode.MissingAttribute, RtnetlinkDecoder.DecodeLink(nameless, Rtnetlink.NewLink, out _).Code);

        var slashed = new byte[16 + 12];
        BinaryPrimitives.WriteUInt16LittleEndian(slashed.AsSpan(16), 12);
        BinaryPrimitives.WriteUInt16LittleEndian(slashed.AsSpan(18), Rtnetlink.LinkName);
        "et/0\0"u8.CopyTo(slashed.AsSpan(20));
        Assert.Equal(NetlinkErrorCode.BadInterfaceName, RtnetlinkDecoder.DecodeLink(slashed, Rtnetlink.NewLink, out _).Code);
    }

    [Fact]
    public void Families_other_than_ipv4_and_ipv6_are_skipped_without_an_error()
    {
        var payload = new byte[12];
        payload[0] = 28;   // AF_MPLS

        var error = RtnetlinkDecoder.DecodeRoute(payload, Rtnetlink.NewRoute, out var route);

        Assert.False(error.IsError);
        Assert.Null(route);
    }

    private static KernelLink[] Links(string label) => ReadAll(Vectors.Rtnetlink(label)).Changes.OfType<LinkChange>().Select(c => c.Link).ToArray();

    private static AddressChange[] Addresses(string label) => ReadAll(Vectors.Rtnetlink(label)).Changes.OfType<AddressChange>().ToArray();

    private static RouteChange[] Routes(string label) =>
        ReadAll(Vectors.Rtnetlink(label)).Changes.OfType<RouteChange>().Where(r => r.Route.Protocol == 77).ToArray();

    private static (List<RtnetlinkChange> Changes, List<string> Problems, RtnetlinkDatagram.Outcome Outcome) ReadAll(IEnumerable<byte[]> datagrams)
    {
        var changes = new List<RtnetlinkChange>();
        var problems = new List<string>();
        var outcome = RtnetlinkDatagram.Outcome.More;
        foreach (var datagram in datagrams)
        {
            var interrupted = false;
            outcome = RtnetlinkDatagram.Read(datagram, changes, problems.Add, out _, ref interrupted);
            Assert.False(interrupted);
        }

        return (changes, problems, outcome);
    }
}
