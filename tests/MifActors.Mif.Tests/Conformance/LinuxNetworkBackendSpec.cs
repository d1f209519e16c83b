using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Linux;
using MifActors.Mif.Tests.Linux.Support;
using MifActors.Testing.Namespaces;
using Xunit.Abstractions;

namespace MifActors.Mif.Tests.Conformance;

/// <summary>
/// The backend conformance suite against the Linux backend, on real time, in network namespaces the test creates
/// (needs root; CI runs as root). The host's interfaces are veth pairs into a namespace of their own each, the
/// "network" (<c>r0</c> there); addresses and links change with <c>ip</c>; router advertisements come from radvd, which
/// is killed (no farewell) once the backend heard it so that the router sends one as the suite asks, and those with
/// an RFC 8801 PvD ID, which radvd 2.19 cannot send, from a raw socket in the network namespace. Every lab change
/// returns once the backend reports it, as the simulated lab's changes are in effect when they return.
/// </summary>
public sealed class LinuxNetworkBackendSpec : NetworkBackendSpec
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespace _host;
    private readonly Dictionary<string, NetworkNamespace> _networks = new();
    private readonly Dictionary<IPAddress, int> _prefixLengths = new();
    private readonly List<IDisposable> _parts = [];
    private readonly LinuxNetworkBackend _backend;
    private int _servers;

    public LinuxNetworkBackendSpec(ITestOutputHelper output) : base("akka.loglevel = WARNING", output)
    {
        _host = NetworkNamespace.Create("host");
        try
        {
            _backend = LinuxBackends.StartIn(_host, Sys);
        }
        catch
        {
            _host.Dispose();
            throw;
        }
    }

    protected override INetworkBackend Backend => _backend;

    // "a" alone would be read by ip as the keyword "address".
    protected override string Name(string logical) => $"eth-{logical}";

    // Real time: what is due after a lifetime is due that much later, give or take the kernel's and the host's timers.
    protected override TimeSpan Patience(TimeSpan justPassed) => justPassed + TimeSpan.FromSeconds(5);

    protected override async Task AddInterfaceAsync(string name)
    {
        var network = NetworkNamespace.Create($"net-{name}");
        _networks.Add(name, network);
        _host.Ip("link", "add", "name", name, "type", "veth", "peer", "name", "r0", "netns", network.Name);
        // The network reaches every documentation address of the host on the link, so servers can answer any of them.
        network.IpBatch(["link set r0 up", "route add 2001:db8::/32 dev r0"]);
        network.Run(() => NetworkNamespace.WriteSysctl("net/ipv6/conf/all/forwarding", "1"));
        _host.Ip("link", "set", "dev", name, "up");
        await Reported(name, state => state is { Usable: true });
    }

    protected override async Task RemoveInterfaceAsync(string name)
    {
        _host.Ip("link", "del", "dev", name);
        await Reported(name, state => state is null);
    }

    protected override async Task TakeDownAsync(string name)
    {
        _host.Ip("link", "set", "dev", name, "down");
        await Reported(name, state => state is { Up: false });
    }

    protected override async Task BringUpAsync(string name)
    {
        _host.Ip("link", "set", "dev", name, "up");
        await Reported(name, state => state is { Usable: true });
    }

    protected override async Task AddAddressAsync(string name, IPAddress address, int prefixLength, TimeSpan? valid, TimeSpan? preferred)
    {
        _prefixLengths[address] = prefixLength;
        _host.Ip("address", "add", $"{address}/{prefixLength}", "dev", name, "nodad",
            "valid_lft", Seconds(valid), "preferred_lft", Seconds(preferred));
        await Reported(name, state => state?.Addresses.Any(a => a.Address.Equals(address)) == true);
    }

    protected override async Task RemoveAddressAsync(string name, IPAddress address)
    {
        _host.Ip("address", "del", $"{address}/{_prefixLengths[address]}", "dev", name);
        await Reported(name, state => state?.Addresses.All(a => !a.Address.Equals(address)) == true);
    }

    protected override async Task<IPAddress> SendRouterAdvertisementAsync(string name, LabRouterAdvertisement advertisement)
    {
        var network = _networks[name];
        var prefix = IPNetwork.Parse(advertisement.Prefix);
        // The router's own address in the prefix, so that it answers the host's new address on the link.
        network.Ip("address", "replace", $"{prefix.BaseAddress}1/{prefix.PrefixLength}", "dev", "r0", "nodad");
        var router = RouterAddress(network);
        if (advertisement.PvdId is { } pvdId)
        {
            RouterAdvertisementSender.Send(network, "r0", new RouterAdvertisementBuilder((ushort)advertisement.RouterLifetime.TotalSeconds)
                .Prefix(advertisement.Prefix, (uint)advertisement.ValidLifetime.TotalSeconds, (uint)advertisement.PreferredLifetime.TotalSeconds)
                .ProvisioningDomain(pvdId, sequence: 1, embedded: inner =>
                {
                    if (advertisement.DnsServers.Count > 0)
                        inner.Rdnss((uint)advertisement.DnsLifetime.TotalSeconds, advertisement.DnsServers.Select(s => s.ToString()).ToArray());
                })
                .Build());
            return router;
        }

        using var radvd = Radvd.Start(network, new RadvdInterface("r0", (int)advertisement.RouterLifetime.TotalSeconds)
        {
            Prefixes = [new RadvdPrefix(advertisement.Prefix, (int)advertisement.ValidLifetime.TotalSeconds, (int)advertisement.PreferredLifetime.TotalSeconds)],
            DnsServers = advertisement.DnsServers.Select(s => s.ToString()).ToArray(),
            RdnssLifetime = (int)advertisement.DnsLifetime.TotalSeconds,
        });
        await Reported(name, state => state?.RouterAdvertisements.Any(ra => ra.Router.Equals(router)) == true);
        radvd.Kill();
        return router;
    }

    protected override Task<IPAddress> AddDnsServerAsync(string name, string host, IPAddress answer)
    {
        var network = _networks[name];
        var address = IPAddress.Parse($"2001:db8:53:{++_servers:x}::53");
        network.Ip("address", "add", $"{address}/128", "dev", "r0", "nodad");
        _parts.Add(Dnsmasq.Start(network, address, new Dictionary<string, IPAddress[]> { [host] = [answer] }));
        return Task.FromResult(address);
    }

    protected override Task<IPEndPoint> AddEchoServerAsync(string name)
    {
        var network = _networks[name];
        var endpoint = new IPEndPoint(IPAddress.Parse($"2001:db8:e0::{++_servers:x}"), 7);
        network.Ip("address", "add", $"{endpoint.Address}/128", "dev", "r0", "nodad");
        _host.Ip("route", "add", $"{endpoint.Address}/128", "dev", name);
        var listener = network.Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(endpoint);
        listener.Listen();
        _parts.Add(listener);
        _ = EchoAsync(listener);
        return Task.FromResult(endpoint);
    }

    protected override Task LetTimePassAsync(TimeSpan time) => Task.CompletedTask;

    protected override void AfterAll()
    {
        base.AfterAll();
        _backend.Dispose();
        foreach (var part in _parts) part.Dispose();
        foreach (var network in _networks.Values) network.Dispose();
        _host.Dispose();
    }

    /// <summary>Returns once the backend reports the interface in a state that satisfies <paramref name="condition"/>.</summary>
    private async Task Reported(string name, Func<InterfaceState?, bool> condition)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (!condition(await _backend.ReadInterfaceAsync(name, CancellationToken.None)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the backend did not report the change to {name} within {Settle.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    private static IPAddress RouterAddress(NetworkNamespace network)
    {
        var line = network.IpOutput("-6", "-o", "address", "show", "dev", "r0", "scope", "link").Trim();
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return IPAddress.Parse(words[Array.IndexOf(words, "inet6") + 1].Split('/')[0]);
    }

    private static string Seconds(TimeSpan? lifetime) =>
        lifetime is { } l ? ((long)l.TotalSeconds).ToString(CultureInfo.InvariantCulture) : "forever";

    private static async Task EchoAsync(Socket listener)
    {
        try
        {
            while (true)
            {
                var connection = await listener.AcceptAsync();
                _ = Task.Run(async () =>
                {
                    using (connection)
                    {
                        var buffer = new byte[4096];
                        int read;
                        while ((read = await connection.ReceiveAsync(buffer)) > 0) await connection.SendAsync(buffer.AsMemory(0, read));
                    }
                });
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The listener was closed at the end of the test.
        }
    }
}
