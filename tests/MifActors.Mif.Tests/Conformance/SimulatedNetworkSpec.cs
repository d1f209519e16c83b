using System.Net;
using Akka.TestKit;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Simulated;
using MifActors.Mif.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Mif.Tests.Conformance;

/// <summary>The backend conformance suite against the simulated network, on virtual time.</summary>
public sealed class SimulatedNetworkSpec : NetworkBackendSpec
{
    private readonly SimulatedNetwork _net;
    private int _routers;
    private int _servers;

    public SimulatedNetworkSpec(ITestOutputHelper output) : base(HostSpec.VirtualTime, output)
    {
        _net = new SimulatedNetwork(Sys);
    }

    protected override INetworkBackend Backend => _net;

    protected override TimeSpan LifetimeMargin => TimeSpan.Zero;   // virtual time: exact

    protected override Task AddInterfaceAsync(string name) => Done(() => _net.AddInterface(name));

    protected override Task RemoveInterfaceAsync(string name) => Done(() => _net.RemoveInterface(name));

    protected override Task TakeDownAsync(string name) => Done(() => _net.TakeDown(name));

    protected override Task BringUpAsync(string name) => Done(() => _net.BringUp(name));

    protected override Task AddAddressAsync(string name, IPAddress address, int prefixLength, TimeSpan? valid, TimeSpan? preferred) =>
        Done(() => _net.AddAddress(name, address, prefixLength, valid, preferred));

    protected override Task RemoveAddressAsync(string name, IPAddress address) => Done(() => _net.RemoveAddress(name, address));

    protected override Task<IPAddress> SendRouterAdvertisementAsync(string name, LabRouterAdvertisement advertisement)
    {
        var router = SimulatedRouter.At($"fe80::{++_routers:x}")
            .WithPrefix(advertisement.Prefix, advertisement.ValidLifetime, advertisement.PreferredLifetime)
            with { RouterLifetime = advertisement.RouterLifetime, Interval = TimeSpan.Zero };
        if (advertisement.DnsServers.Count > 0)
        {
            router = router.WithDnsServers(advertisement.DnsLifetime, [.. advertisement.DnsServers]);
        }
        if (advertisement.PvdId is { } pvdId)
        {
            router = router.WithPvdId(pvdId);
        }
        _net.SendRouterAdvertisement(name, router);
        return Task.FromResult(router.Router);
    }

    protected override Task<IPAddress> AddDnsServerAsync(string name, string host, IPAddress answer)
    {
        var address = $"2001:db8:53::{++_servers:x}";
        _net.AddDnsServer(address, new DnsZone().Add(host, answer), via: name);
        return Task.FromResult(IPAddress.Parse(address));
    }

    protected override Task<IPEndPoint> AddEchoServerAsync(string name)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse($"2001:db8:e0::{++_servers:x}"), 7);
        _net.AddServer(endpoint, SimulatedServer.Echo(), via: name);
        return Task.FromResult(endpoint);
    }

    protected override Task LetTimePassAsync(TimeSpan time)
    {
        ((TestScheduler)Sys.Scheduler).Advance(time);
        return Task.CompletedTask;
    }

    private static Task Done(Action change)
    {
        change();
        return Task.CompletedTask;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _net.Dispose();
    }
}
