using System.Net;
using MifActors.Mif.Api;
using MifActors.Mif.Host.Internal;
using MifActors.Mif.Network;

namespace MifActors.Mif.Tests;

/// <summary>How the facts on one interface form its PvDs (docs/mif-api.md, "PvD identity").</summary>
public sealed class ProvisioningDomainsSpec
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static RouterAdvertisement Ra(string router, string prefix, string? pvdId = null, bool other = false, TimeSpan? lifetime = null) =>
        new(IPAddress.Parse(router), Now, lifetime ?? TimeSpan.FromMinutes(30), false, other, null,
            [new PrefixInformation(IPNetwork.Parse(prefix).BaseAddress, IPNetwork.Parse(prefix).PrefixLength, true, true, lifetime ?? TimeSpan.FromHours(1), lifetime ?? TimeSpan.FromHours(1))],
            [], [], [], pvdId is null ? null : new ProvisioningDomainOption(pvdId, 0, false));

    private static ObservedAddress Address(string address, int length = 64, TimeSpan? valid = null) => new(IPAddress.Parse(address), length, Now, valid, valid);

    private static InterfaceState Wlan(params RouterAdvertisement[] ras) =>
        InterfaceState.Empty("wlan0", "Wi-Fi", InterfaceKind.Wifi) with { RouterAdvertisements = ras };

    [Fact]
    public void Each_router_without_a_pvd_id_is_a_pvd_and_routers_with_one_share_it()
    {
        var state = Wlan(Ra("fe80::1", "2001:db8:1::/64"), Ra("fe80::2", "2001:db8:2::/64", "pvd.example"), Ra("fe80::3", "2001:db8:3::/64", "pvd.example"));
        var pvds = ProvisioningDomains.Map(state, null, Now);
        Assert.Equal(["wlan0/fe80::1", "pvd.example"], pvds.Select(p => p.PvdId));
        Assert.Equal(2, Assert.IsType<RaElementFacts>(pvds[1].Elements.Single()).Advertisements.Count);
    }

    [Fact]
    public void An_address_belongs_to_every_pvd_whose_prefix_holds_it_and_link_local_ones_to_none()
    {
        var state = Wlan(Ra("fe80::1", "2001:db8:1::/64"), Ra("fe80::2", "2001:db8:1::/48", "pvd.example")) with
        {
            Addresses = [Address("2001:db8:1::5"), Address("fe80::5")],
        };
        var pvds = ProvisioningDomains.Map(state, null, Now);
        Assert.All(pvds, p => Assert.Equal([IPAddress.Parse("2001:db8:1::5")], p.Addresses.Select(a => a.Address)));
        Assert.Equal(2, pvds.Count);
    }

    [Fact]
    public void Dhcpv6_joins_the_router_asking_for_it_else_forms_its_own_pvd()
    {
        var dhcpv6 = new Dhcpv6Information(IPAddress.IPv6Any, Now, null, [IPAddress.Parse("2001:db8::53")], []);
        var asking = ProvisioningDomains.Map(Wlan(Ra("fe80::1", "2001:db8:1::/64"), Ra("fe80::2", "2001:db8:2::/64", other: true)) with { Dhcpv6 = dhcpv6 }, null, Now);
        Assert.Equal(ConfigurationElementType.Dhcpv6, asking.Single(p => p.PvdId == "wlan0/fe80::2").Elements[1].Type);

        var alone = ProvisioningDomains.Map(Wlan(Ra("fe80::1", "2001:db8:1::/64")) with { Dhcpv6 = dhcpv6 }, null, Now);
        Assert.Equal(["wlan0/fe80::1", "wlan0/dhcpv6"], alone.Select(p => p.PvdId));
    }

    [Fact]
    public void Static_settings_and_unaccounted_addresses_form_the_static_pvd_named_as_configured()
    {
        var settings = new StaticInterfaceSettings("wlan0", "vpn.example", [IPAddress.Parse("10.8.0.1")], ["corp.example"], [], null, null);
        var state = Wlan() with { Addresses = [Address("10.8.0.2", 24), Address("2001:db8:9::1")] };
        var pvd = ProvisioningDomains.Map(state, settings, Now).Single();
        Assert.Equal("vpn.example", pvd.PvdId);
        Assert.Equal(2, pvd.Addresses.Count);
        Assert.Equal(["10.8.0.1"], pvd.Elements.Single().Data(ConfigurationInformation.DnsServers, Now));
    }

    [Fact]
    public void Nothing_expired_and_nothing_on_an_unusable_interface_forms_a_pvd()
    {
        var state = Wlan(Ra("fe80::1", "2001:db8:1::/64", lifetime: TimeSpan.FromSeconds(30))) with { Addresses = [Address("10.0.0.1", 8, TimeSpan.FromSeconds(10))] };
        Assert.Equal(2, ProvisioningDomains.Map(state, null, Now).Count);
        Assert.Empty(ProvisioningDomains.Map(state, null, Now + TimeSpan.FromSeconds(30)));
        Assert.Empty(ProvisioningDomains.Map(state with { Running = false }, null, Now));
    }
}
