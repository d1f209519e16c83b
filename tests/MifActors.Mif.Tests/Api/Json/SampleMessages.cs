using System.Net;
using MifActors.Mif.Api;
using MifActors.Mif.Api.Json;

namespace MifActors.Mif.Tests.Api.Json;

/// <summary>One message of every type the JSON-lines protocol carries, with every optional field set and unset.</summary>
public static class SampleMessages
{
    private static readonly IPAddress Ipv6 = IPAddress.Parse("2001:db8:1::10");
    private static readonly IPAddress Ipv4 = IPAddress.Parse("192.0.2.10");

    public static IEnumerable<object> All =>
    [
        new AnnounceInterfaces(),
        new StopAnnouncingInterfaces(),
        new InterfaceAnnouncement("wlan0", "Wi-Fi (wlan0) — café"),
        new NoInterfaceAnnouncement("wlan0"),
        new AnnounceProvisioningDomains("wlan0"),
        new StopAnnouncingProvisioningDomains("wlan0"),
        new ProvisioningDomainAnnouncement("wlan0", "pvd.example.com"),
        new NoProvisioningDomainAnnouncement("wlan0", "wlan0/fe80::1"),
        new AnnounceConfigurationElements("pvd.example.com"),
        new AnnounceConfigurationElements(null),
        new ConfigurationElementAnnouncement("pvd.example.com", ConfigurationElementType.Ra),
        new NoConfigurationElementAnnouncement("wlan0/dhcpv4", ConfigurationElementType.Dhcpv4),
        new StopAnnouncingConfigurationElements("pvd.example.com"),
        new StopAnnouncingConfigurationElements(),
        new AnnounceAddresses("pvd.example.com"),
        new AnnounceAddresses(null),
        new AddressAnnouncement(Ipv6, "pvd.example.com", TimeSpan.FromSeconds(7200), TimeSpan.FromSeconds(1800.5)),
        new AddressAnnouncement(Ipv4, "eth0/static", null, null),
        new StopAnnouncingAddresses("pvd.example.com"),
        new StopAnnouncingAddresses(),
        new NoAddressAnnouncement("pvd.example.com", IPAddress.Parse("fe80::1%2")),
        new GetConfigurationData("pvd.example.com", ConfigurationElementType.Dhcpv6, ConfigurationInformation.DnsServers),
        new GetConfigurationData(null, ConfigurationElementType.Static, ConfigurationInformation.NoInternet),
        new ConfigurationData("pvd.example.com", ConfigurationElementType.Ra, ConfigurationInformation.Routes,
            ["2001:db8:2::/48 via fe80::1", "2001:db8:3::/48 via fe80::1"]),
        new ConfigurationData("wlan0/dhcpv4", ConfigurationElementType.Dhcpv4, ConfigurationInformation.Mtu, []),
        new NoConfigurationData("pvd.example.com", ConfigurationElementType.Ra, ConfigurationInformation.Nat64Prefix),
        new TranslateName("pvd.example.com", "host.example.com", "t-1"),
        new TranslateName(null, "host.example.com", "t-2"),
        new StopTranslatingName("t-1"),
        new NameTranslation("t-1", Ipv6),
        new NoNameTranslation("t-1", NameTranslationFailure.TimedOut, "no answer from 2001:db8::53 within 2s"),
        new NameTranslationComplete("t-1"),
        new ConnectToPvd("pvd.example.com"),
        new ConnectToAddress(Ipv6, 443, "pvd.example.com", "c-1"),
        new ConnectToAddress(Ipv4, 80, null, "c-2"),
        new ConnectToAddressFromAddress(Ipv6, IPAddress.Parse("2001:db8:9::1"), 443, "pvd.example.com", "c-3"),
        new Connected("c-1", "pvd.example.com", Ipv6, 50123, IPAddress.Parse("2001:db8:9::1"), 443),
        new NotConnected("c-1", ConnectionFailure.Refused, "2001:db8:9::1 port 443 refused the connection"),
        new WantsToConnect(),
        new ConnectionIsIdle("c-1"),
        new ConnectionCanBeBroken("c-1"),
        new InterfaceIsGoingAway("wlan0"),
        new InterfaceIsGoingUp("wwan0"),
        new Error("TranslateName", "t-1", "translation id \"t-1\" is already in use; choose another"),
        new Error("", null, "line 3: not valid JSON"),
        new MessagesLost(17, "17 messages were dropped"),
    ];
}
