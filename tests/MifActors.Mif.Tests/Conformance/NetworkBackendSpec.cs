using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using MifActors.Mif.Api;
using MifActors.Mif.Host;
using MifActors.Mif.Network;
using Xunit.Abstractions;

namespace MifActors.Mif.Tests.Conformance;

/// <summary>A router advertisement a lab sends: one autonomous prefix, optional RDNSS and RFC 8801 PvD ID.</summary>
public sealed record LabRouterAdvertisement(
    string Prefix,
    TimeSpan RouterLifetime,
    TimeSpan ValidLifetime,
    TimeSpan PreferredLifetime,
    IReadOnlyList<IPAddress> DnsServers,
    TimeSpan DnsLifetime,
    string? PvdId = null);

/// <summary>
/// What every network backend must do, seen through the MIF API: the host agent runs over the backend, a lab changes
/// the network through the small surface below, and a probe subscribes. Each backend subclasses it with its own lab:
/// <see cref="SimulatedNetworkSpec"/> with the simulated network on virtual time; the Linux backend with network
/// namespaces, veth pairs and radvd on real time. Lifetimes are asserted with a margin, since a kernel reports them
/// in whole seconds.
/// </summary>
public abstract class NetworkBackendSpec : Akka.TestKit.Xunit2.TestKit
{
    private IActorRef? _host;

    protected NetworkBackendSpec(string config, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(config), output: output)
    {
        App = CreateTestProbe("app");
    }

    protected TestProbe App { get; }

    // --- the lab: what each backend's subclass implements ----------------------------------------------------------

    /// <summary>The backend under test.</summary>
    protected abstract INetworkBackend Backend { get; }

    /// <summary>The name the lab gives a test's interface (<c>a</c>, <c>b</c>): unique per test run where names are shared.</summary>
    protected virtual string Name(string logical) => logical;

    /// <summary>Adds an interface, up and running, with nothing configured on it.</summary>
    protected abstract Task AddInterfaceAsync(string name);

    protected abstract Task RemoveInterfaceAsync(string name);

    /// <summary>Takes the interface administratively down.</summary>
    protected abstract Task TakeDownAsync(string name);

    protected abstract Task BringUpAsync(string name);

    /// <summary>Adds an address; null lifetimes are infinite (a permanent address).</summary>
    protected abstract Task AddAddressAsync(string name, IPAddress address, int prefixLength, TimeSpan? valid, TimeSpan? preferred);

    protected abstract Task RemoveAddressAsync(string name, IPAddress address);

    /// <summary>A router on the interface's link sends one advertisement; returns the router's (link-local) address.</summary>
    protected abstract Task<IPAddress> SendRouterAdvertisementAsync(string name, LabRouterAdvertisement advertisement);

    /// <summary>A DNS server reachable through the interface that answers <paramref name="host"/> with <paramref name="answer"/>; returns its address.</summary>
    protected abstract Task<IPAddress> AddDnsServerAsync(string name, string host, IPAddress answer);

    /// <summary>A TCP echo server reachable through the interface; returns its endpoint. Its address has no other port open.</summary>
    protected abstract Task<IPEndPoint> AddEchoServerAsync(string name);

    /// <summary>
    /// Lets <paramref name="time"/> pass: a simulated lab moves its virtual clock; a real one returns at once and
    /// relies on <see cref="Patience"/>.
    /// </summary>
    protected abstract Task LetTimePassAsync(TimeSpan time);

    /// <summary>How long to wait for something that is due now (plus, on real time, the time just let pass).</summary>
    protected virtual TimeSpan Patience(TimeSpan justPassed) => TimeSpan.FromSeconds(3);

    /// <summary>A lifetime a lab reports may be up to this much shorter than given (a kernel counts whole seconds).</summary>
    protected virtual TimeSpan LifetimeMargin => TimeSpan.FromSeconds(2);

    // --- helpers ---------------------------------------------------------------------------------------------------

    protected IActorRef StartHost() => _host ??= MifHost.Start(Sys, Backend);

    protected void Send(IToMifApi request) => StartHost().Tell(request, App.Ref);

    /// <summary>The next message about one of this test's interfaces or PvDs, skipping what the lab's other interfaces cause.</summary>
    protected T Expect<T>(Func<T, bool> about, TimeSpan? within = null) where T : IFromMifApi =>
        (T)App.FishForMessage(m => m is T t && about(t), within ?? Patience(TimeSpan.Zero), $"a {typeof(T).Name}");

    private string Pvd(string name, string source) => $"{name}/{source}";

    private async Task<(string Name, string PvdId, IPAddress Address)> InterfaceWithStaticAddressAsync(string logical)
    {
        var name = Name(logical);
        var address = IPAddress.Parse("2001:db8:5a::1");
        await AddInterfaceAsync(name);
        await AddAddressAsync(name, address, 64, null, null);
        return (name, Pvd(name, "static"), address);
    }

    private void SubscribeTo(string name)
    {
        Send(new AnnounceInterfaces());
        Expect<InterfaceAnnouncement>(i => i.InterfaceId == name);
        Send(new AnnounceProvisioningDomains(name));
    }

    // --- the suite -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Interfaces_that_exist_are_announced_then_new_ones()
    {
        await AddInterfaceAsync(Name("a"));
        Send(new AnnounceInterfaces());
        Expect<InterfaceAnnouncement>(i => i.InterfaceId == Name("a"));
        await AddInterfaceAsync(Name("b"));
        Expect<InterfaceAnnouncement>(i => i.InterfaceId == Name("b"));
    }

    [Fact]
    public async Task A_removed_interface_is_announced_away_after_its_pvds()
    {
        var (name, pvd, _) = await InterfaceWithStaticAddressAsync("a");
        SubscribeTo(name);
        Expect<ProvisioningDomainAnnouncement>(p => p.PvdId == pvd);

        await RemoveInterfaceAsync(name);
        Expect<NoProvisioningDomainAnnouncement>(p => p.InterfaceId == name && p.PvdId == pvd);
        Expect<NoInterfaceAnnouncement>(i => i.InterfaceId == name);
    }

    [Fact]
    public async Task A_link_taken_down_loses_its_pvds_then_its_announcement_and_comes_back_up()
    {
        var (name, pvd, _) = await InterfaceWithStaticAddressAsync("a");
        SubscribeTo(name);
        Expect<ProvisioningDomainAnnouncement>(p => p.PvdId == pvd);

        await TakeDownAsync(name);
        Expect<NoProvisioningDomainAnnouncement>(p => p.PvdId == pvd);
        Expect<NoInterfaceAnnouncement>(i => i.InterfaceId == name);
        await BringUpAsync(name);
        Expect<InterfaceAnnouncement>(i => i.InterfaceId == name);
    }

    [Fact]
    public async Task An_address_is_announced_with_its_lifetimes_deprecated_when_preferred_ends_and_removed_when_valid_ends()
    {
        var name = Name("a");
        var address = IPAddress.Parse("2001:db8:5b::1");
        await AddInterfaceAsync(name);
        SubscribeTo(name);
        await AddAddressAsync(name, address, 64, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(3));
        var pvd = Expect<ProvisioningDomainAnnouncement>(p => p.InterfaceId == name).PvdId;
        Send(new AnnounceAddresses(pvd));
        var announced = Expect<AddressAnnouncement>(a => a.Address.Equals(address));
        AssertLifetime(TimeSpan.FromSeconds(6), announced.ValidLifetime);
        AssertLifetime(TimeSpan.FromSeconds(3), announced.PreferredLifetime);

        await LetTimePassAsync(TimeSpan.FromSeconds(3));
        var deprecated = Expect<AddressAnnouncement>(a => a.Address.Equals(address), Patience(TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.Zero, deprecated.PreferredLifetime);

        await LetTimePassAsync(TimeSpan.FromSeconds(3));
        Expect<NoAddressAnnouncement>(a => a.Address.Equals(address), Patience(TimeSpan.FromSeconds(3)));
        Expect<NoProvisioningDomainAnnouncement>(p => p.PvdId == pvd);
    }

    [Fact]
    public async Task A_removed_address_is_announced_away()
    {
        var (name, pvd, address) = await InterfaceWithStaticAddressAsync("a");
        var second = IPAddress.Parse("2001:db8:5a::2");
        await AddAddressAsync(name, second, 64, null, null);
        SubscribeTo(name);
        Expect<ProvisioningDomainAnnouncement>(p => p.PvdId == pvd);
        Send(new AnnounceAddresses(pvd));
        Expect<AddressAnnouncement>(a => a.Address.Equals(second));

        await RemoveAddressAsync(name, second);
        Expect<NoAddressAnnouncement>(a => a.Address.Equals(second));
        Assert.Equal(address, (await Backend.ReadInterfaceAsync(name, CancellationToken.None))!.Addresses.Single(a => !a.Address.IsIPv6LinkLocal).Address);
    }

    [Fact]
    public async Task A_router_advertisement_gives_an_implicit_pvd_with_its_prefix_address_and_dns_servers()
    {
        var name = Name("a");
        await AddInterfaceAsync(name);
        SubscribeTo(name);
        var dns = IPAddress.Parse("2001:db8:5c::53");
        var router = await SendRouterAdvertisementAsync(name, new LabRouterAdvertisement(
            "2001:db8:5c::/64", TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), [dns], TimeSpan.FromHours(1)));
        var pvd = Pvd(name, router.ToString());
        Expect<ProvisioningDomainAnnouncement>(p => p.PvdId == pvd);

        Send(new AnnounceConfigurationElements(pvd));
        Expect<ConfigurationElementAnnouncement>(e => e.PvdId == pvd && e.ElementType == ConfigurationElementType.Ra);
        Send(new GetConfigurationData(pvd, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        Assert.Equal([dns.ToString()], Expect<ConfigurationData>(d => d.PvdId == pvd).Values);
        Send(new AnnounceAddresses(pvd));
        var slaac = Expect<AddressAnnouncement>(a => a.PvdId == pvd, Patience(TimeSpan.FromSeconds(5)));
        Assert.True(new IPNetwork(IPAddress.Parse("2001:db8:5c::"), 64).Contains(slaac.Address), $"{slaac.Address} is not in 2001:db8:5c::/64");
    }

    [Fact]
    public async Task A_router_advertising_a_pvd_id_gives_that_pvd()
    {
        var name = Name("a");
        await AddInterfaceAsync(name);
        SubscribeTo(name);
        await SendRouterAdvertisementAsync(name, new LabRouterAdvertisement(
            "2001:db8:5d::/64", TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), [], TimeSpan.Zero, PvdId: "pvd.conformance.example"));
        Expect<ProvisioningDomainAnnouncement>(p => p.InterfaceId == name && p.PvdId == "pvd.conformance.example");
    }

    [Fact]
    public async Task When_a_routers_lifetimes_end_its_pvd_announces_what_remains_away_and_then_itself()
    {
        var name = Name("a");
        await AddInterfaceAsync(name);
        SubscribeTo(name);
        var router = await SendRouterAdvertisementAsync(name, new LabRouterAdvertisement(
            "2001:db8:5e::/64", TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), [], TimeSpan.Zero));
        var pvd = Pvd(name, router.ToString());
        Expect<ProvisioningDomainAnnouncement>(p => p.PvdId == pvd);
        Send(new AnnounceConfigurationElements(pvd));
        Expect<ConfigurationElementAnnouncement>(e => e.PvdId == pvd);

        await LetTimePassAsync(TimeSpan.FromSeconds(4));
        Expect<NoConfigurationElementAnnouncement>(e => e.PvdId == pvd && e.ElementType == ConfigurationElementType.Ra, Patience(TimeSpan.FromSeconds(4)));
        Expect<NoProvisioningDomainAnnouncement>(p => p.PvdId == pvd);
    }

    [Fact]
    public async Task Read_interface_gives_what_was_observed_and_nothing_for_an_unknown_name()
    {
        var (name, _, address) = await InterfaceWithStaticAddressAsync("a");
        var state = await Backend.ReadInterfaceAsync(name, CancellationToken.None);
        Assert.NotNull(state);
        Assert.True(state.Usable);
        Assert.Contains(state.Addresses, a => a.Address.Equals(address) && a.ValidLifetime is null);
        Assert.Null(await Backend.ReadInterfaceAsync(Name("never"), CancellationToken.None));
    }

    [Fact]
    public async Task A_connection_from_the_pvd_carries_bytes_and_a_closed_port_refuses()
    {
        var (name, pvd, address) = await InterfaceWithStaticAddressAsync("a");
        var server = await AddEchoServerAsync(name);
        SubscribeTo(name);
        Expect<ProvisioningDomainAnnouncement>(p => p.PvdId == pvd);

        Send(new ConnectToAddressFromAddress(address, server.Address, server.Port, pvd, "echo"));
        var connected = Expect<Connected>(c => c.ConnectionId == "echo");
        Assert.Equal(address, connected.LocalAddress);
        using (var stream = connected.Stream!)
        {
            stream.Write("conformance"u8);
            var echoed = new byte["conformance".Length];
            stream.ReadExactly(echoed);
            Assert.Equal("conformance", Encoding.ASCII.GetString(echoed));
        }

        Send(new ConnectToAddress(server.Address, server.Port == 65535 ? 1 : server.Port + 1, pvd, "closed"));
        Assert.Equal(ConnectionFailure.Refused, Expect<NotConnected>(c => c.ConnectionId == "closed").Reason);
    }

    [Fact]
    public async Task A_connection_from_an_address_not_on_the_interface_has_no_source_address()
    {
        var (name, pvd, _) = await InterfaceWithStaticAddressAsync("a");
        var server = await AddEchoServerAsync(name);
        var outcome = await Backend.ConnectAsync(new ConnectAttempt(name, pvd, IPAddress.Parse("2001:db8:5f::99"), server), CancellationToken.None);
        Assert.Equal(ConnectionFailure.NoSourceAddress, Assert.IsType<ConnectFailed>(outcome).Reason);
    }

    [Fact]
    public async Task Names_are_translated_by_the_dns_server_the_router_advertised()
    {
        var name = Name("a");
        await AddInterfaceAsync(name);
        var answer = IPAddress.Parse("2001:db8:5c::80");
        var dns = await AddDnsServerAsync(name, "www.conformance.example", answer);
        SubscribeTo(name);
        var router = await SendRouterAdvertisementAsync(name, new LabRouterAdvertisement(
            "2001:db8:5c::/64", TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), [dns], TimeSpan.FromHours(1)));
        var pvd = Pvd(name, router.ToString());
        Expect<ProvisioningDomainAnnouncement>(p => p.PvdId == pvd);
        Send(new AnnounceAddresses(pvd));
        Expect<AddressAnnouncement>(a => a.PvdId == pvd, Patience(TimeSpan.FromSeconds(5)));   // DNS leaves from an address of the PvD

        Send(new TranslateName(pvd, "www.conformance.example", "t"));
        Assert.Equal(answer, Expect<NameTranslation>(t => t.TranslationId == "t").Address);
        Expect<NameTranslationComplete>(t => t.TranslationId == "t");
    }

    private void AssertLifetime(TimeSpan given, TimeSpan? reported)
    {
        Assert.NotNull(reported);
        Assert.InRange(reported.Value, given - LifetimeMargin, given);
    }
}
