using System.Net;
using MifActors.Mif.Api;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Simulated;
using MifActors.Mif.Tests.Support;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Support.Scenarios;
using Error = MifActors.Mif.Api.Error;

namespace MifActors.Mif.Tests;

/// <summary>Draft section 3.2.7.1 - 3.2.7.17: what exists is announced, then its changes, until the subscriber stops.</summary>
public sealed class AnnouncementSpec(ITestOutputHelper output) : HostSpec(output)
{
    private static readonly IPAddress WifiAddress = Slaac("2001:db8:1::/64", "wlan0");
    private static readonly IPAddress LteAddress = Slaac("2001:db8:2::/64", "lte0");

    [Fact]
    public void Announce_interfaces_announces_every_interface_then_new_ones_and_gone_ones()
    {
        Net.AddInterface("eth0");
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Send(new AnnounceInterfaces());
        ExpectInOrder(new InterfaceAnnouncement("eth0", "Ethernet (eth0)"), new InterfaceAnnouncement("wlan0", "Wi-Fi (wlan0)"));

        Net.AddInterface("tun0", InterfaceKind.Tunnel);
        ExpectInOrder(new InterfaceAnnouncement("tun0", "VPN (tun0)"));
        Net.RemoveInterface("eth0");
        ExpectInOrder(new NoInterfaceAnnouncement("eth0"));
    }

    [Fact]
    public void After_stop_announcing_interfaces_no_interface_announcement_comes()
    {
        var other = CreateTestProbe();
        Net.AddInterface("eth0");
        Send(new AnnounceInterfaces());
        Send(other, new AnnounceInterfaces());
        ExpectInOrder(new InterfaceAnnouncement("eth0", "Ethernet (eth0)"));
        ExpectInOrder(other, new InterfaceAnnouncement("eth0", "Ethernet (eth0)"));

        Send(new StopAnnouncingInterfaces());
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.RemoveInterface("eth0");

        // The other subscriber sees both changes, so they have been announced; this one sees neither.
        ExpectInOrder(other, new InterfaceAnnouncement("wlan0", "Wi-Fi (wlan0)"), new NoInterfaceAnnouncement("eth0"));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_router_without_a_pvd_id_gives_an_implicit_pvd_and_one_with_a_pvd_id_gives_that_pvd()
    {
        WifiAndLte(Net);
        Send(new AnnounceInterfaces());
        App.ReceiveN(2);
        Send(new AnnounceProvisioningDomains("wlan0"));
        Send(new AnnounceProvisioningDomains("lte0"));
        // Either from the snapshot or as a change, depending on how far the host got: the same announcements.
        var announced = App.ReceiveN(2).Cast<ProvisioningDomainAnnouncement>().ToHashSet();
        Assert.Equal([new ProvisioningDomainAnnouncement("wlan0", WifiPvd), new ProvisioningDomainAnnouncement("lte0", LtePvd)], announced);
    }

    [Fact]
    public void Announce_provisioning_domains_for_an_unknown_interface_is_an_error()
    {
        Send(new AnnounceProvisioningDomains("wlan9"));
        var error = App.ExpectMsg<Error>();
        Assert.Equal(nameof(AnnounceProvisioningDomains), error.Request);
        Assert.Contains("wlan9", error.Message);
    }

    [Fact]
    public void A_new_pvd_on_an_interface_is_announced_to_its_pvd_subscribers()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        Net.AdvertiseRouter("wlan0", Wifi());
        ExpectInOrder(new ProvisioningDomainAnnouncement("wlan0", WifiPvd));

        Net.LeaseDhcpv4("wlan0", "192.168.1.20", 24, TimeSpan.FromHours(1), router: "192.168.1.1", dnsServers: ["192.168.1.1"]);
        ExpectInOrder(new ProvisioningDomainAnnouncement("wlan0", "wlan0/dhcpv4"));

        Send(new StopAnnouncingProvisioningDomains("wlan0"));
        Net.AddAddress("wlan0", "10.9.9.9", 8);   // a static address: a new "wlan0/static" PvD, not announced any more
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_vanishing_interface_announces_every_pvd_away_before_the_interface_and_ends_the_pvd_subscription()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Net.LeaseDhcpv4("wlan0", "192.168.1.20", 24, TimeSpan.FromHours(1), router: "192.168.1.1");
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ReceiveN(2);

        Net.RemoveInterface("wlan0");
        var gone = App.ReceiveN(3).ToArray();
        Assert.Equal(
            new HashSet<IFromMifApi> { new NoProvisioningDomainAnnouncement("wlan0", WifiPvd), new NoProvisioningDomainAnnouncement("wlan0", "wlan0/dhcpv4") },
            gone.Take(2).Cast<IFromMifApi>().ToHashSet());
        Assert.Equal(new NoInterfaceAnnouncement("wlan0"), gone[2]);

        // Back again: the interface is announced (that subscription stays), its PvDs are not (that one ended).
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        ExpectInOrder(new InterfaceAnnouncement("wlan0", "Wi-Fi (wlan0)"));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_link_taken_down_announces_its_pvds_elements_and_addresses_away_before_the_interface()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();
        Send(new AnnounceConfigurationElements(WifiPvd));
        Send(new AnnounceAddresses(WifiPvd));
        ExpectInOrder(new ConfigurationElementAnnouncement(WifiPvd, ConfigurationElementType.Ra));
        Assert.Equal(WifiAddress, App.ExpectMsg<AddressAnnouncement>().Address);

        Net.TakeDown("wlan0");
        ExpectInOrder(
            new NoConfigurationElementAnnouncement(WifiPvd, ConfigurationElementType.Ra),
            new NoAddressAnnouncement(WifiPvd, WifiAddress),
            new NoProvisioningDomainAnnouncement("wlan0", WifiPvd),
            new NoInterfaceAnnouncement("wlan0"));

        Net.BringUp("wlan0");
        ExpectInOrder(new InterfaceAnnouncement("wlan0", "Wi-Fi (wlan0)"));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));   // the PvD, element and address subscriptions ended with it
    }

    [Fact]
    public void An_expiring_pvd_announces_its_remaining_elements_and_addresses_away_first()
    {
        var router = SimulatedRouter.At("fe80::1")
            .WithPrefix("2001:db8:1::/64", valid: TimeSpan.FromSeconds(120), preferred: TimeSpan.FromSeconds(60))
            .WithDnsServers(TimeSpan.FromSeconds(90), IPAddress.Parse("2001:db8:1::53"))
            with { RouterLifetime = TimeSpan.FromSeconds(60), Interval = TimeSpan.Zero };
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", router);
        Net.AddAddress("wlan0", "2001:db8:1::99", 64, TimeSpan.FromHours(2));   // outlives the PvD
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();
        Send(new AnnounceConfigurationElements(WifiPvd));
        Send(new AnnounceAddresses(WifiPvd));
        App.ExpectMsg<ConfigurationElementAnnouncement>();
        var addresses = App.ReceiveN(2).Cast<AddressAnnouncement>().ToArray();
        Assert.Equal(new HashSet<IPAddress> { WifiAddress, IPAddress.Parse("2001:db8:1::99") }, addresses.Select(a => a.Address).ToHashSet());

        // At 60 s the SLAAC address is deprecated: announced again with no preferred lifetime left.
        Advance(TimeSpan.FromSeconds(60));
        ExpectInOrder(new AddressAnnouncement(WifiAddress, WifiPvd, TimeSpan.FromSeconds(60), TimeSpan.Zero));

        // At 90 s the RDNSS option expires: the element stays, its DNS servers are gone.
        Advance(TimeSpan.FromSeconds(30));
        Send(new GetConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        ExpectInOrder(new NoConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));

        // At 120 s the last of the advertisement expires, and with it the PvD: what remains goes first.
        Advance(TimeSpan.FromSeconds(30));
        var gone = App.ReceiveN(4).ToArray();
        Assert.Equal(new NoConfigurationElementAnnouncement(WifiPvd, ConfigurationElementType.Ra), gone[0]);
        Assert.Equal(
            new HashSet<IFromMifApi> { new NoAddressAnnouncement(WifiPvd, WifiAddress), new NoAddressAnnouncement(WifiPvd, IPAddress.Parse("2001:db8:1::99")) },
            gone.Skip(1).Take(2).Cast<IFromMifApi>().ToHashSet());
        Assert.Equal(new NoProvisioningDomainAnnouncement("wlan0", WifiPvd), gone[3]);
    }

    [Fact]
    public void A_router_saying_goodbye_ends_its_pvd_at_once()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();
        Send(new AnnounceAddresses(WifiPvd));
        App.ExpectMsg<AddressAnnouncement>();

        Net.StopRouter("wlan0", WifiRouter, goodbye: true);
        ExpectInOrder(new NoAddressAnnouncement(WifiPvd, WifiAddress), new NoProvisioningDomainAnnouncement("wlan0", WifiPvd));
    }

    [Fact]
    public void Configuration_elements_are_announced_then_new_and_invalidated_ones()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi() with { OtherConfiguration = true });
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();
        Send(new AnnounceConfigurationElements(WifiPvd));
        ExpectInOrder(new ConfigurationElementAnnouncement(WifiPvd, ConfigurationElementType.Ra));

        // The router asks for DHCPv6 (O flag): what it gives joins the router's PvD.
        Net.SetDhcpv6("wlan0", ["2001:db8:1::5353"], ["corp.example"], TimeSpan.FromSeconds(100));
        ExpectInOrder(new ConfigurationElementAnnouncement(WifiPvd, ConfigurationElementType.Dhcpv6));
        Send(new GetConfigurationData(WifiPvd, ConfigurationElementType.Dhcpv6, ConfigurationInformation.SearchDomains));
        ExpectInOrder(new ConfigurationData(WifiPvd, ConfigurationElementType.Dhcpv6, ConfigurationInformation.SearchDomains, ["corp.example"]));

        Advance(TimeSpan.FromSeconds(100));
        ExpectInOrder(new NoConfigurationElementAnnouncement(WifiPvd, ConfigurationElementType.Dhcpv6));

        Send(new StopAnnouncingConfigurationElements(WifiPvd));
        Net.SetDhcpv6("wlan0", ["2001:db8:1::5353"]);
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Addresses_are_announced_with_what_remains_of_their_lifetimes_then_new_ones()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();

        Advance(TimeSpan.FromMinutes(10));
        Send(new AnnounceAddresses(WifiPvd));
        ExpectInOrder(new AddressAnnouncement(WifiAddress, WifiPvd, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(20)));

        Net.AddAddress("wlan0", "2001:db8:1::99", 64, TimeSpan.FromHours(2), TimeSpan.FromHours(1));
        ExpectInOrder(new AddressAnnouncement(IPAddress.Parse("2001:db8:1::99"), WifiPvd, TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        Net.RemoveAddress("wlan0", "2001:db8:1::99");
        ExpectInOrder(new NoAddressAnnouncement(WifiPvd, IPAddress.Parse("2001:db8:1::99")));

        Send(new StopAnnouncingAddresses(WifiPvd));
        Net.AddAddress("wlan0", "2001:db8:1::98", 64, TimeSpan.FromHours(2));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_ipv4_lease_gives_a_pvd_with_its_address_router_and_dns_servers_until_it_runs_out()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.LeaseDhcpv4("wlan0", "192.168.1.20", 24, TimeSpan.FromMinutes(10), router: "192.168.1.1", dnsServers: ["192.168.1.1"], renew: false);
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        ExpectInOrder(new ProvisioningDomainAnnouncement("wlan0", "wlan0/dhcpv4"));
        Send(new AnnounceAddresses("wlan0/dhcpv4"));
        ExpectInOrder(new AddressAnnouncement(IPAddress.Parse("192.168.1.20"), "wlan0/dhcpv4", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)));
        Send(new GetConfigurationData("wlan0/dhcpv4", ConfigurationElementType.Dhcpv4, ConfigurationInformation.DefaultRouters));
        ExpectInOrder(new ConfigurationData("wlan0/dhcpv4", ConfigurationElementType.Dhcpv4, ConfigurationInformation.DefaultRouters, ["192.168.1.1"]));

        Advance(TimeSpan.FromMinutes(10));
        ExpectInOrder(new NoAddressAnnouncement("wlan0/dhcpv4", IPAddress.Parse("192.168.1.20")), new NoProvisioningDomainAnnouncement("wlan0", "wlan0/dhcpv4"));
    }

    [Fact]
    public void A_renewed_lease_keeps_its_pvd()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.LeaseDhcpv4("wlan0", "192.168.1.20", 24, TimeSpan.FromMinutes(10), router: "192.168.1.1");
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();

        var address = IPAddress.Parse("192.168.1.20");
        for (var i = 0; i < 6; i++)
        {
            Advance(TimeSpan.FromMinutes(5));
            // Renewed at half the lease time: a new subscriber sees the whole lease again. Waiting for it keeps the
            // next step of virtual time behind the renewal, as real time would.
            AwaitLease("wlan0/dhcpv4", address, TimeSpan.FromMinutes(10));
        }
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private void AwaitLease(string pvdId, IPAddress address, TimeSpan lifetime) => AwaitAssert(() =>
    {
        var look = CreateTestProbe();
        Send(look, new AnnounceAddresses(pvdId));
        var announced = look.ExpectMsg<AddressAnnouncement>();
        Assert.Equal(address, announced.Address);
        Assert.Equal(lifetime, announced.ValidLifetime);
        Sys.Stop(look.Ref);
    }, TimeSpan.FromSeconds(3));

    [Fact]
    public void Get_configuration_data_answers_from_the_named_element_or_says_there_is_none()
    {
        WifiAndLte(Net);
        Send(new AnnounceInterfaces());
        App.ReceiveN(2);
        Send(new AnnounceProvisioningDomains("lte0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();

        // The host answers for a PvD it does not know; a PvD answers for itself, in the order it was asked.
        Send(new GetConfigurationData("nowhere.example", ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        ExpectInOrder(new NoConfigurationData("nowhere.example", ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        Send(new GetConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        Send(new GetConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.Prefixes));
        Send(new GetConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.Metered));
        Send(new GetConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.DefaultRouters));
        Send(new GetConfigurationData(LtePvd, ConfigurationElementType.Dhcpv4, ConfigurationInformation.DnsServers));
        ExpectInOrder(
            new ConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers, ["2001:db8:2::53"]),
            new ConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.Prefixes, ["2001:db8:2::/64"]),
            new ConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.Metered, ["true"]),
            new ConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.DefaultRouters, ["fe80::2"]),
            new NoConfigurationData(LtePvd, ConfigurationElementType.Dhcpv4, ConfigurationInformation.DnsServers));
    }

    [Fact]
    public void Connect_to_pvd_selects_the_pvd_for_requests_that_name_none()
    {
        WifiAndLte(Net);
        Send(new AnnounceInterfaces());
        App.ReceiveN(2);
        Send(new AnnounceProvisioningDomains("lte0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();

        Send(new AnnounceAddresses(null));
        Assert.Contains("no PvD is selected", App.ExpectMsg<Error>().Message);

        Send(new ConnectToPvd(LtePvd));
        Send(new AnnounceAddresses(null));
        Assert.Equal(LteAddress, App.ExpectMsg<AddressAnnouncement>().Address);
        Send(new GetConfigurationData(null, ConfigurationElementType.Ra, ConfigurationInformation.Metered));
        ExpectInOrder(new ConfigurationData(LtePvd, ConfigurationElementType.Ra, ConfigurationInformation.Metered, ["true"]));

        Send(new ConnectToPvd("nowhere.example"));
        Assert.Equal(nameof(ConnectToPvd), App.ExpectMsg<Error>().Request);
    }

    [Fact]
    public void Each_subscriber_gets_its_own_announcements_and_a_terminated_one_is_dropped()
    {
        var second = CreateTestProbe();
        Net.AddInterface("eth0");
        Send(new AnnounceInterfaces());
        Send(second, new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        second.ExpectMsg<InterfaceAnnouncement>();
        var subscriberOfSecond = second.LastSender;
        Assert.NotEqual(App.LastSender, subscriberOfSecond);
        Assert.Equal("/user/host/subscribers", subscriberOfSecond.Path.Parent.ToStringWithoutAddress());

        Watch(subscriberOfSecond);
        Sys.Stop(second.Ref);
        ExpectTerminated(subscriberOfSecond);

        Net.RemoveInterface("eth0");
        ExpectInOrder(new NoInterfaceAnnouncement("eth0"));
    }

    [Fact]
    public void Interfaces_going_away_and_going_up_are_announced_to_interface_subscribers()
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Net.AnnounceGoingAway("wlan0");
        ExpectInOrder(new InterfaceIsGoingAway("wlan0"));
        Net.AnnounceGoingUp("wlan0");
        ExpectInOrder(new InterfaceIsGoingUp("wlan0"));
    }

    [Fact]
    public void Wants_to_connect_brings_up_a_dormant_interface()
    {
        Net.AddInterface("eth0");
        Net.AddInterface("wwan0", InterfaceKind.Cellular, dormant: true);
        Send(new AnnounceInterfaces());
        ExpectInOrder(new InterfaceAnnouncement("eth0", "Ethernet (eth0)"));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Send(new WantsToConnect());
        ExpectInOrder(new InterfaceAnnouncement("wwan0", "Cellular (wwan0)"));
        Assert.Equal(1, Net.ConnectivityRequests);
    }

    [Fact]
    public void Requests_with_missing_fields_are_answered_with_errors_that_name_them()
    {
        Send(new TranslateName(null, "", "t1"));
        Send(new TranslateName(null, "www.example", ""));
        Send(new ConnectToAddress(IPAddress.Loopback, 0, null, "c1"));
        Send(new ConnectionIsIdle("nope"));
        Assert.Contains("name is missing", App.ExpectMsg<Error>().Message);
        Assert.Contains("translationId is missing", App.ExpectMsg<Error>().Message);
        Assert.Contains("port from 1 to 65535", App.ExpectMsg<Error>().Message);
        Assert.Contains("no established connection nope", App.ExpectMsg<Error>().Message);
    }
}
