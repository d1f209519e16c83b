using System.Net;
using Akka.TestKit;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Linux;
using MifActors.Mif.Tests.Linux.Support;
using MifActors.Testing.Namespaces;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Linux.Support.LinuxLab;

namespace MifActors.Mif.Tests.Linux;

/// <summary>
/// What the Linux backend reads from a real kernel, in network namespaces of the test's own (needs root; CI runs as
/// root): links, addresses with their lifetimes, router advertisements from radvd and with the RFC 8801 PvD option,
/// and the DNS host routes it keeps. Real time: the kernel's clock runs as it does.
/// </summary>
public sealed class LinuxKernelSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly LinuxLab _lab = new();
    private readonly TestProbe _observer;
    private LinuxNetworkBackend? _backend;

    public LinuxKernelSpec(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
        _observer = CreateTestProbe("observer");
    }

    private LinuxNetworkBackend Backend => _backend ??= LinuxBackends.StartIn(_lab.Host, Sys);

    private LinuxNetworkBackend StartBackend(string config) => _backend = LinuxBackends.StartIn(_lab.Host, Sys, config);

    /// <summary>Watches the backend with the observer and takes the first report, every interface as it is.</summary>
    private NetworkObserved WatchBackend(LinuxNetworkBackend backend)
    {
        backend.Watch(_observer);
        return _observer.ExpectMsg<NetworkObserved>();
    }

    [Fact]
    public void Watching_reports_every_interface_but_loopback_with_its_kind_and_state()
    {
        var observed = WatchBackend(Backend);
        Assert.Equal([WifiInterface, LteInterface], observed.Interfaces.Select(i => i.Name));
        var wifi = observed.Interfaces[0];
        Assert.Equal(InterfaceKind.Wifi, wifi.Kind);
        Assert.Equal("Wi-Fi (wlan0)", wifi.DisplayName);
        Assert.Equal(InterfaceKind.Cellular, observed.Interfaces[1].Kind);
        Assert.False(wifi.Up);
        Assert.False(wifi.Running);
    }

    [Fact]
    public void A_link_set_up_is_reported_up_and_running_and_then_down_again()
    {
        WatchBackend(Backend);

        _lab.BringUpHost();
        AwaitState(WifiInterface, s => s.Usable);
        _lab.Host.Ip("link", "set", WifiInterface, "down");
        var down = AwaitState(WifiInterface, s => !s.Up);

        Assert.False(down.Usable);
    }

    [Fact]
    public void An_address_added_with_ip_is_reported_with_its_lifetimes_and_removed_when_deleted()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);

        _lab.Host.Ip("address", "add", "2001:db8:99::5/64", "dev", WifiInterface, "nodad", "valid_lft", "600", "preferred_lft", "300");
        var added = AwaitState(WifiInterface, s => s.Addresses.Any(a => a.Address.Equals(IPAddress.Parse("2001:db8:99::5"))));
        var address = added.Addresses.Single(a => a.Address.Equals(IPAddress.Parse("2001:db8:99::5")));
        Assert.Equal(64, address.PrefixLength);
        Assert.InRange(address.ValidLifetime!.Value.TotalSeconds, 598, 600);
        Assert.InRange(address.PreferredLifetime!.Value.TotalSeconds, 298, 300);

        _lab.Host.Ip("address", "del", "2001:db8:99::5/64", "dev", WifiInterface);
        AwaitState(WifiInterface, s => s.Addresses.All(a => !a.Address.Equals(IPAddress.Parse("2001:db8:99::5"))));
    }

    [Fact]
    public void An_ipv4_address_is_reported_as_permanent()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);

        _lab.Host.Ip("address", "add", "192.0.2.10/24", "dev", LteInterface);
        var state = AwaitState(LteInterface, s => s.Addresses.Any(a => a.Address.Equals(IPAddress.Parse("192.0.2.10"))));
        var address = state.Addresses.Single(a => a.Address.Equals(IPAddress.Parse("192.0.2.10")));
        Assert.Null(address.ValidLifetime);
        Assert.Null(address.PreferredLifetime);

        // The kernel adds the connected route right after the address.
        AwaitState(LteInterface, s => s.Routes.Any(r => r.Destination.Equals(IPAddress.Parse("192.0.2.0")) && r.PrefixLength == 24 && r.Gateway is null));
    }

    [Fact]
    public void Radvd_advertisements_are_reported_with_their_options_and_the_kernel_address_from_the_prefix()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);

        _lab.StartWifiRouter();
        var state = AwaitState(WifiInterface, s => s.RouterAdvertisements.Count > 0 && s.Addresses.Any(a => IPNetwork.Parse(WifiPrefix).Contains(a.Address)));

        var ra = Assert.Single(state.RouterAdvertisements);
        Assert.Equal(WifiRouter, ra.Router);
        Assert.Equal(TimeSpan.FromSeconds(1800), ra.RouterLifetime);
        Assert.Equal(new PrefixInformation(IPAddress.Parse("2001:db8:1::"), 64, true, true, TimeSpan.FromSeconds(86400), TimeSpan.FromSeconds(14400)), Assert.Single(ra.Prefixes));
        Assert.Equal([WifiDnsServer], Assert.Single(ra.DnsServers).Servers);
        Assert.Equal(["wifi.example.test"], Assert.Single(ra.SearchLists).Domains);
        Assert.Equal(new RouteInformation(IPAddress.Parse("2001:db8:ff::"), 48, RoutePreference.High, TimeSpan.FromSeconds(600)), Assert.Single(ra.Routes));
        var slaac = state.Addresses.Single(a => IPNetwork.Parse(WifiPrefix).Contains(a.Address));
        Assert.InRange(slaac.ValidLifetime!.Value.TotalSeconds, 86390, 86400);
    }

    [Fact]
    public void An_address_the_kernel_makes_from_a_prefix_is_never_reported_without_the_advertisement_that_gave_it()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);

        // The kernel's address and the advertisement come through different sockets, in either order.
        for (var round = 0; round < 3; round++)
        {
            _lab.AdvertiseLte();
            var states = new List<InterfaceState>();
            _observer.FishForMessage(message =>
            {
                if (message is not InterfaceObserved { State.Name: LteInterface } observed) return false;
                states.Add(observed.State);
                return observed.State.Addresses.Any(a => IPNetwork.Parse(LtePrefix).Contains(a.Address));
            }, Wait);

            Assert.All(states.Where(s => s.Addresses.Any(a => IPNetwork.Parse(LtePrefix).Contains(a.Address))),
                s => Assert.NotEmpty(s.RouterAdvertisements));
            _lab.Host.Ip("address", "flush", "dev", LteInterface, "scope", "global");
            AwaitState(LteInterface, s => !s.Addresses.Any(a => IPNetwork.Parse(LtePrefix).Contains(a.Address)));
            _lab.Host.Ip("link", "set", LteInterface, "down");
            AwaitState(LteInterface, s => !s.Up);
            _lab.Host.Ip("link", "set", LteInterface, "up");
            AwaitState(LteInterface, s => s.Usable);
        }
    }

    [Fact]
    public void A_pvd_id_option_is_reported_with_the_dns_servers_it_carries()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);

        _lab.AdvertiseLte();
        var state = AwaitState(LteInterface, s => s.RouterAdvertisements.Count > 0);

        var ra = Assert.Single(state.RouterAdvertisements);
        Assert.Equal(LteRouter, ra.Router);
        Assert.Equal(new ProvisioningDomainOption(LtePvd, 1, Legacy: false), ra.ProvisioningDomain);
        Assert.Equal([LteDnsServer], Assert.Single(ra.DnsServers).Servers);
        Assert.Equal(["lte.example.test"], Assert.Single(ra.SearchLists).Domains);
    }

    [Fact]
    public void Each_dns_server_gets_a_host_route_through_the_interface_of_its_router_before_it_is_reported()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);

        _lab.StartWifiRouter();
        AwaitState(WifiInterface, s => s.RouterAdvertisements.Count > 0);
        _lab.AdvertiseLte();
        AwaitState(LteInterface, s => s.RouterAdvertisements.Count > 0);

        // The kernel's own choice for both would be wlan0, the preferred default router; the host routes say otherwise.
        Assert.Contains($"via {WifiRouter} dev {WifiInterface}", _lab.RouteGet(WifiDnsServer), StringComparison.Ordinal);
        Assert.Contains($"via {LteRouter} dev {LteInterface}", _lab.RouteGet(LteDnsServer), StringComparison.Ordinal);
        Assert.Contains($"dev {WifiInterface}", _lab.RouteGet(IPAddress.Parse("2001:db8:53:3::53")), StringComparison.Ordinal);
        var ours = _lab.Host.IpOutput("-6", "route", "show", "proto", "77");
        Assert.Contains($"unreachable {WifiDnsServer}", ours, StringComparison.Ordinal);
        Assert.Contains($"unreachable {LteDnsServer}", ours, StringComparison.Ordinal);
    }

    [Fact]
    public void When_its_interface_goes_down_a_dns_server_becomes_unreachable_instead_of_reachable_through_another()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);
        _lab.StartWifiRouter();
        _lab.AdvertiseLte();
        AwaitState(WifiInterface, s => s.RouterAdvertisements.Count > 0);
        AwaitState(LteInterface, s => s.RouterAdvertisements.Count > 0);

        _lab.Host.Ip("link", "set", LteInterface, "down");
        var down = AwaitState(LteInterface, s => !s.Up);

        Assert.Empty(down.RouterAdvertisements);
        Assert.Contains($"via {WifiRouter} dev {WifiInterface}", _lab.RouteGet(WifiDnsServer), StringComparison.Ordinal);
        // The guard route answers EHOSTUNREACH; without it the kernel would pick wlan0's default route.
        var error = Assert.Throws<InvalidOperationException>(() => _lab.RouteGet(LteDnsServer));
        Assert.Contains("No route to host", error.Message, StringComparison.Ordinal);

        // Back up: the next advertisement pins the server again.
        _lab.Host.Ip("link", "set", LteInterface, "up");
        AwaitState(LteInterface, s => s.Usable);
        _lab.AdvertiseLte();
        AwaitState(LteInterface, s => s.RouterAdvertisements.Count > 0);
        Assert.Contains($"dev {LteInterface}", _lab.RouteGet(LteDnsServer), StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_the_backend_removes_every_route_it_added()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);
        _lab.StartWifiRouter();
        AwaitState(WifiInterface, s => s.RouterAdvertisements.Count > 0);
        Assert.NotEqual("", _lab.Host.IpOutput("-6", "route", "show", "proto", "77").Trim());

        _backend!.Dispose();
        _backend = null;

        Assert.Equal("", _lab.Host.IpOutput("-6", "route", "show", "proto", "77").Trim());
    }

    [Fact]
    public void Routes_a_killed_backend_left_behind_are_removed_when_the_next_one_starts()
    {
        _lab.BringUpHost();
        _lab.Host.Ip("-6", "route", "add", "unreachable", "2001:db8:53:9::53/128", "proto", "77", "metric", "4294967295");
        _lab.Host.Ip("-6", "route", "add", "2001:db8:53:8::53/128", "dev", WifiInterface, "proto", "77");

        WatchBackend(Backend);

        Assert.Equal("", _lab.Host.IpOutput("-6", "route", "show", "proto", "77").Trim());
    }

    [Fact]
    public void A_deleted_link_is_reported_removed()
    {
        WatchBackend(Backend);

        _lab.Host.Ip("link", "del", LteInterface);

        _observer.FishForMessage(m => m is InterfaceRemoved { InterfaceName: LteInterface }, Wait);
    }

    [Fact]
    public void A_malformed_advertisement_is_logged_and_dropped_and_the_next_good_one_is_read()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);
        var broken = new RouterAdvertisementBuilder().Rdnss(600, LteDnsServer.ToString()).Build();
        broken[17] = 0;   // option length 0

        EventFilter.Warning(contains: "option type 25 at offset 16 has length 0").ExpectOne(Wait, () => RouterAdvertisementSender.Send(_lab.Lte, "lan0", broken));
        _lab.AdvertiseLte();

        var state = AwaitState(LteInterface, s => s.RouterAdvertisements.Count > 0);
        Assert.Equal(LtePvd, Assert.Single(state.RouterAdvertisements).ProvisioningDomain!.PvdId);
    }

    [Fact]
    public async Task An_advertisement_that_arrives_with_a_hop_limit_below_255_is_ignored()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);

        EventFilter.Warning(contains: "hop limit 255 (it had 64)").ExpectOne(Wait, () =>
            RouterAdvertisementSender.Send(_lab.Lte, "lan0", new RouterAdvertisementBuilder().Rdnss(600, LteDnsServer.ToString()).Build(), hopLimit: 64));

        var state = (await Backend.ReadInterfaceAsync(LteInterface, CancellationToken.None))!;
        Assert.Empty(state.RouterAdvertisements);
    }

    [Fact]
    public void A_static_dns_server_is_pinned_through_its_interfaces_default_router()
    {
        var server = IPAddress.Parse("2001:db8:53:7::53");
        _lab.BringUpHost();
        WatchBackend(StartBackend($"mifactors.mif.static-interfaces.{LteInterface}.dns-servers = [\"{server}\"]"));

        _lab.AdvertiseLte();
        AwaitState(LteInterface, s => s.Routes.Any(r => r.PrefixLength == 0 && r.Gateway is not null));

        AwaitCondition(() => _lab.RouteGet(server).Contains($"via {LteRouter} dev {LteInterface}", StringComparison.Ordinal), Wait);
    }

    [Fact]
    public void A_dns_server_named_on_two_interfaces_stays_with_the_first_and_queries_for_the_other_fail_saying_why()
    {
        _lab.BringUpHost();
        var backend = StartBackend($"mifactors.mif.static-interfaces.{LteInterface}.dns-servers = [\"{WifiDnsServer}\"]");
        WatchBackend(backend);
        _lab.StartWifiRouter();
        AwaitState(WifiInterface, s => s.RouterAdvertisements.Count > 0);

        var query = backend.CreateDnsQuery(new DnsPath(LteInterface, "wwan0/static", [WifiDnsServer], []), MifSettings.Get(Sys).Dns);
        var error = Assert.Throws<DnsClient.DnsResponseException>(() => query.Query("www.example.test", DnsClient.QueryType.AAAA));

        Assert.Contains($"DNS server {WifiDnsServer} is named on {WifiInterface}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"via {WifiRouter} dev {WifiInterface}", _lab.RouteGet(WifiDnsServer), StringComparison.Ordinal);
        Assert.Equal(0, _lab.WifiDns.Queries);
    }

    [Fact]
    public void A_dhclient_lease_file_gives_its_interface_a_dhcpv4_lease_whose_dns_server_is_pinned_and_changes_with_the_file()
    {
        var directory = Directory.CreateTempSubdirectory("mif-leases-");
        try
        {
            var file = Path.Combine(directory.FullName, "dhclient.leases");
            File.WriteAllText(file, Lease("198.51.100.53"));
            _lab.BringUpHost();
            _lab.Host.Ip("address", "add", "192.0.2.10/24", "dev", WifiInterface);
            WatchBackend(StartBackend($"mifactors.mif.linux.lease-files = [\"{file}\"]"));

            var leased = AwaitState(WifiInterface, s => s.Dhcpv4 is not null).Dhcpv4!;
            Assert.Equal(IPAddress.Parse("192.0.2.10"), leased.Address);
            Assert.Equal([IPAddress.Parse("198.51.100.53")], leased.DnsServers);
            // Off the link: through the lease's router.
            Assert.Contains($"via 192.0.2.1 dev {WifiInterface}", _lab.RouteGet(IPAddress.Parse("198.51.100.53")), StringComparison.Ordinal);

            // dhclient writes a new file and renames it over the old one.
            File.WriteAllText(file + ".new", Lease("198.51.100.54"));
            File.Move(file + ".new", file, overwrite: true);
            AwaitState(WifiInterface, s => s.Dhcpv4?.DnsServers.SequenceEqual([IPAddress.Parse("198.51.100.54")]) == true);
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        static string Lease(string dns) => $$"""
            lease {
              interface "{{WifiInterface}}";
              fixed-address 192.0.2.10;
              option subnet-mask 255.255.255.0;
              option routers 192.0.2.1;
              option dhcp-lease-time 86400;
              option domain-name-servers {{dns}};
              option dhcp-server-identifier 192.0.2.1;
              expire epoch {{DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds()}};
            }
            """;
    }

    [Fact]
    public async Task Wants_to_connect_brings_up_only_the_interfaces_configured_for_it()
    {
        WatchBackend(StartBackend($"mifactors.mif.linux.bring-up-on-request = [{LteInterface}]"));

        _backend!.RequestConnectivity();

        AwaitState(LteInterface, s => s.Up);
        Assert.False((await _backend.ReadInterfaceAsync(WifiInterface, CancellationToken.None))!.Up);
    }

    [Fact]
    public async Task A_link_local_dns_server_is_asked_through_its_interface_by_scope_without_a_host_route()
    {
        _lab.BringUpHost();
        WatchBackend(Backend);
        // A link-local query needs the host's own link-local address as its source.
        AwaitState(WifiInterface, s => s.Addresses.Any(a => a.Address.IsIPv6LinkLocal));
        // The wifi router itself answers DNS on its link-local address: a socket there counts what arrives.
        using var server = _lab.Wifi.Run(() => new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetworkV6, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp));
        server.Bind(new IPEndPoint(new IPAddress(WifiRouter.GetAddressBytes(), (long)uint.Parse(_lab.Wifi.Execute("cat", "/sys/class/net/lan0/ifindex").Trim(), System.Globalization.CultureInfo.InvariantCulture)), 53));
        var received = server.ReceiveAsync(new byte[512], System.Net.Sockets.SocketFlags.None);

        var query = Backend.CreateDnsQuery(new DnsPath(WifiInterface, LinuxLab.WifiPvd, [WifiRouter], []), MifSettings.Get(Sys).Dns);
        using var cancel = new CancellationTokenSource();
        var asked = query.QueryAsync("www.example.test", DnsClient.QueryType.AAAA, cancellationToken: cancel.Token);

        Assert.True(await received.WaitAsync(Wait) > 12, "no DNS query reached the router's link-local address");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(() => asked);
        Assert.Equal("", _lab.Host.IpOutput("-6", "route", "show", "proto", "77").Trim());
    }

    [Fact]
    public void A_namespace_that_does_not_exist_is_named_when_the_backend_starts()
    {
        var settings = LinuxNetworkSettings.From(Akka.Configuration.ConfigurationFactory.ParseString(
            "mifactors.mif.linux.network-namespace = mif-there-is-no-such-namespace"));

        var error = Assert.Throws<MifConfigurationException>(() => LinuxNetworkBackend.Start(Sys.Scheduler, settings, new Dictionary<string, StaticInterfaceSettings>(), Sys.Log));

        Assert.Equal("mifactors.mif.linux.network-namespace: there is no network namespace at /var/run/netns/mif-there-is-no-such-namespace", error.Message);
    }

    /// <summary>
    /// Waits until an interface's state, as observers have been told it, satisfies <paramref name="condition"/>: checks
    /// the backend's latest report, then again after each message the observer gets.
    /// </summary>
    private InterfaceState AwaitState(string name, Func<InterfaceState, bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var state = Backend.ReadInterfaceAsync(name, CancellationToken.None).GetAwaiter().GetResult();
            if (state is not null && condition(state)) return state;
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"{name} did not reach the expected state within {Wait.TotalSeconds} s; last: {Describe(state)}");
            _observer.ReceiveOne(left);
        }
    }

    private static string Describe(InterfaceState? state) => state is null
        ? "no such interface"
        : $"up {state.Up}, running {state.Running}, addresses [{string.Join(", ", state.Addresses.Select(a => a.Address))}], "
          + $"{state.RouterAdvertisements.Count} router advertisements, routes [{string.Join(", ", state.Routes.Select(r => $"{r.Destination}/{r.PrefixLength}"))}]";

    protected override void AfterAll()
    {
        base.AfterAll();
        _backend?.Dispose();
        _lab.Dispose();
    }
}
