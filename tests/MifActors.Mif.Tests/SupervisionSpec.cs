using System.Net;
using Akka.Actor;
using MifActors.Mif.Api;
using MifActors.Mif.Host.Internal;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Simulated;
using MifActors.Mif.Tests.Support;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Support.Scenarios;
using static MifActors.Mif.Tests.Support.Translations;

namespace MifActors.Mif.Tests;

/// <summary>A crash stays where it happened: the rest of the host keeps its state and announces nothing it need not.</summary>
public sealed class SupervisionSpec : HostSpec
{
    private static readonly IPAddress WifiAddress = Slaac("2001:db8:1::/64", "wlan0");
    private readonly DnsZone _zone = new DnsZone().Add("www.example.com", "192.0.2.10");

    public SupervisionSpec(ITestOutputHelper output) : base(output)
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Net.AddDnsServer("2001:db8:1::53", _zone);
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();
        Send(new AnnounceConfigurationElements(WifiPvd));
        Send(new AnnounceAddresses(WifiPvd));
        App.ExpectMsg<ConfigurationElementAnnouncement>();
        Assert.Equal(WifiAddress, App.ExpectMsg<AddressAnnouncement>().Address);
    }

    private ActorSelection Interface => Sys.ActorSelection("/user/host/if-wlan0");

    private ActorSelection Pvd => Sys.ActorSelection($"/user/host/if-wlan0/{PvdActor.ActorName(WifiPvd)}");

    private ActorSelection Resolver => Sys.ActorSelection($"/user/host/if-wlan0/{PvdActor.ActorName(WifiPvd)}/resolver");

    [Fact]
    public void A_crashing_resolver_restarts_without_its_pvd_losing_state()
    {
        EventFilter.Exception<InjectedFaultException>().ExpectOne(() => Resolver.Tell(new InjectFault("resolver test")));

        // Nothing was announced away, the PvD still knows its configuration, and its new resolver still knows its servers.
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Send(new GetConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        ExpectInOrder(new ConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers, ["2001:db8:1::53"]));
        Send(new TranslateName(WifiPvd, "www.example.com", "after"));
        Assert.Equal(Set("192.0.2.10"), Collect(App, "after")["after"].Addresses.ToHashSet());
    }

    [Fact]
    public void A_resolver_that_crashes_mid_translation_ends_it_and_the_next_one_works()
    {
        Net.SetDelay("wlan0", TimeSpan.FromSeconds(1));
        Send(new TranslateName(WifiPvd, "www.example.com", "during"));
        Eventually(() => Net.DnsQueriesReceived == 2, "the queries reached the server");
        EventFilter.Exception<InjectedFaultException>().ExpectOne(() => Resolver.Tell(new InjectFault("mid-translation")));
        var end = Assert.IsType<NoNameTranslation>(Collect(App, "during")["during"].End);
        Assert.Equal(NameTranslationFailure.ServerFailure, end.Reason);
        Assert.Contains("ask again", end.Message);

        Net.SetDelay("wlan0", TimeSpan.Zero);
        Send(new TranslateName(WifiPvd, "www.example.com", "during"));   // the id is free again
        Assert.Equal(Set("192.0.2.10"), Collect(App, "during")["during"].Addresses.ToHashSet());
    }

    [Fact]
    public void A_crashing_interface_actor_reads_its_interface_again_and_announces_only_the_differences()
    {
        // The crash comes while the actor handles the observation of a new address, which is lost with it.
        Interface.Tell(new InjectFault("interface test", OnNextObservation: true));
        EventFilter.Exception<InjectedFaultException>().ExpectOne(() => Net.AddAddress("wlan0", "2001:db8:1::99", 64));

        // Read again from the backend: the new address is announced, and nothing that was there already.
        ExpectInOrder(new AddressAnnouncement(IPAddress.Parse("2001:db8:1::99"), WifiPvd, null, null));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // Its PvD, and that PvD's resolver, were kept.
        Send(new TranslateName(WifiPvd, "www.example.com", "t"));
        Assert.Equal(Set("192.0.2.10"), Collect(App, "t")["t"].Addresses.ToHashSet());
        Net.RemoveAddress("wlan0", "2001:db8:1::99");
        ExpectInOrder(new NoAddressAnnouncement(WifiPvd, IPAddress.Parse("2001:db8:1::99")));
    }

    [Fact]
    public void A_crashing_interface_actor_with_nothing_changed_announces_nothing()
    {
        EventFilter.Exception<InjectedFaultException>().ExpectOne(() => Interface.Tell(new InjectFault("nothing changed")));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Send(new GetConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.Prefixes));
        ExpectInOrder(new ConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.Prefixes, ["2001:db8:1::/64"]));
    }

    [Fact]
    public void A_crashing_pvd_actor_gets_its_facts_again_and_announces_nothing()
    {
        EventFilter.Exception<InjectedFaultException>().ExpectOne(() => Pvd.Tell(new InjectFault("pvd test")));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Send(new GetConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        ExpectInOrder(new ConfigurationData(WifiPvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers, ["2001:db8:1::53"]));
    }
}
