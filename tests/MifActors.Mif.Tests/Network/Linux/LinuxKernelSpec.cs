using System.Net;
using Akka.TestKit;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Linux;
using MifActors.Mif.Tests.Network.Linux.Support;
using MifActors.Testing.Namespaces;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Network.Linux.Support.LinuxLab;

namespace MifActors.Mif.Tests.Network.Linux;

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

    [Fact]
    public void Watching_reports_every_interface_but_loopback_with_its_kind_and_state()
    {
        Backend.Watch(_observer);

        var observed = _observer.ExpectMsg<NetworkObserved>();
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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

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
    public void A_pvd_id_option_is_reported_with_the_dns_servers_it_carries()
    {
        _lab.BringUpHost();
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();
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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();
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

        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

        Assert.Equal("", _lab.Host.IpOutput("-6", "route", "show", "proto", "77").Trim());
    }

    [Fact]
    public void A_deleted_link_is_reported_removed()
    {
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

        _lab.Host.Ip("link", "del", LteInterface);

        _observer.FishForMessage(m => m is InterfaceRemoved { InterfaceName: LteInterface }, Wait);
    }

    [Fact]
    public void A_malformed_advertisement_is_logged_and_dropped_and_the_next_good_one_is_read()
    {
        _lab.BringUpHost();
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();
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
        Backend.Watch(_observer);
        _observer.ExpectMsg<NetworkObserved>();

        EventFilter.Warning(contains: "hop limit 255 (it had 64)").ExpectOne(Wait, () =>
            RouterAdvertisementSender.Send(_lab.Lte, "lan0", new RouterAdvertisementBuilder().Rdnss(600, LteDnsServer.ToString()).Build(), hopLimit: 64));

        var state = (await Backend.ReadInterfaceAsync(LteInterface, CancellationToken.None))!;
        Assert.Empty(state.RouterAdvertisements);
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
