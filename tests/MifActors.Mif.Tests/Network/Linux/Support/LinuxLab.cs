using System.Net;
using System.Net.Sockets;
using MifActors.Testing.Namespaces;

namespace MifActors.Mif.Tests.Network.Linux.Support;

/// <summary>
/// A host with two access networks, each in a network namespace of its own, and a server beyond both:
/// <code>
///   host: wlan0 ─── lan0 :wifi (radvd: 2001:db8:1::/64, RDNSS 2001:db8:53:1::53, preferred default router)
///         wwan0 ─── lan0 :lte  (RFC 8801 PvD "pvd.lte.example": 2001:db8:2::/64, RDNSS 2001:db8:53:2::53)
///   wifi: up0 ─── via-wifi :internet ─── via-lte ─── up0 :lte        internet: server 2001:db8:ff::80 on lo
/// </code>
/// Each access network runs a dnsmasq on an address off the host's links (so only a route decides which interface a
/// query leaves through), answering www.example.test with an address of its own. radvd cannot send the PvD ID option,
/// so the lte router's advertisement is sent from a raw socket (<see cref="AdvertiseLte"/>). Everything is removed
/// on dispose; the namespaces' names start with mif-&lt;pid&gt;-.
/// </summary>
internal sealed class LinuxLab : IDisposable
{
    public const string WifiInterface = "wlan0";
    public const string LteInterface = "wwan0";
    public const string LtePvd = "pvd.lte.example";
    public const string WifiRouterMac = "02:00:00:00:01:01";
    public const string LteRouterMac = "02:00:00:00:02:01";
    public static readonly IPAddress WifiRouter = IPAddress.Parse("fe80::ff:fe00:101");
    public static readonly IPAddress LteRouter = IPAddress.Parse("fe80::ff:fe00:201");
    public static readonly IPAddress WifiDnsServer = IPAddress.Parse("2001:db8:53:1::53");
    public static readonly IPAddress LteDnsServer = IPAddress.Parse("2001:db8:53:2::53");
    public static readonly IPAddress WifiAnswer = IPAddress.Parse("2001:db8:a::10");
    public static readonly IPAddress LteAnswer = IPAddress.Parse("2001:db8:b::20");
    public static readonly IPAddress Server = IPAddress.Parse("2001:db8:ff::80");
    public const string WifiPrefix = "2001:db8:1::/64";
    public const string LtePrefix = "2001:db8:2::/64";

    private readonly List<IDisposable> _parts = [];

    public LinuxLab()
    {
        try
        {
            Host = Own(NetworkNamespace.Create("host"));
            Wifi = Own(NetworkNamespace.Create("wifi"));
            Lte = Own(NetworkNamespace.Create("lte"));
            Internet = Own(NetworkNamespace.Create("internet"));
            Host.IpBatch([
                $"link add {WifiInterface} address 02:00:00:00:01:02 type veth peer name lan0 address {WifiRouterMac} netns {Wifi.Name}",
                $"link add {LteInterface} address 02:00:00:00:02:02 type veth peer name lan0 address {LteRouterMac} netns {Lte.Name}",
            ]);
            Internet.IpBatch([
                $"link add via-wifi type veth peer name up0 netns {Wifi.Name}",
                $"link add via-lte type veth peer name up0 netns {Lte.Name}",
                "address add 2001:db8:ff::80/128 dev lo",
                "address add 2001:db8:f1::2/64 dev via-wifi nodad",
                "address add 2001:db8:f2::2/64 dev via-lte nodad",
                "link set via-wifi up",
                "link set via-lte up",
                "route add 2001:db8:1::/64 via 2001:db8:f1::1",
                "route add 2001:db8:2::/64 via 2001:db8:f2::1",
            ]);
            foreach (var (space, n) in new[] { (Wifi, 1), (Lte, 2) })
            {
                space.IpBatch([
                    $"address add 2001:db8:{n}::1/64 dev lan0 nodad",
                    $"address add 2001:db8:53:{n}::53/128 dev lo",
                    $"address add 2001:db8:f{n}::1/64 dev up0 nodad",
                    "link set lan0 up",
                    "link set up0 up",
                    $"route add default via 2001:db8:f{n}::2",
                ]);
                space.Run(() => NetworkNamespace.WriteSysctl("net/ipv6/conf/all/forwarding", "1"));
            }

            WifiDns = Own(Dnsmasq.Start(Wifi, WifiDnsServer, new Dictionary<string, IPAddress[]> { ["www.example.test"] = [WifiAnswer] }));
            LteDns = Own(Dnsmasq.Start(Lte, LteDnsServer, new Dictionary<string, IPAddress[]> { ["www.example.test"] = [LteAnswer] }));
            WifiFilter = Nftables.Create(Wifi);
            LteFilter = Nftables.Create(Lte);
            HostFilter = Nftables.Create(Host);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NetworkNamespace Host { get; }

    public NetworkNamespace Wifi { get; }

    public NetworkNamespace Lte { get; }

    public NetworkNamespace Internet { get; }

    public Dnsmasq WifiDns { get; }

    public Dnsmasq LteDns { get; }

    public Nftables HostFilter { get; }

    public Nftables WifiFilter { get; }

    public Nftables LteFilter { get; }

    /// <summary>The implicit PvD of the wifi router: interface and router, as the host names it.</summary>
    public static string WifiPvd => $"{WifiInterface}/{WifiRouter}";

    /// <summary>
    /// Brings up the host's side of both links (the networks' sides are up from the start) and waits until the kernel
    /// says both have carrier, which it reports a moment after the link is set up.
    /// </summary>
    public void BringUpHost()
    {
        Host.IpBatch([$"link set {WifiInterface} up", $"link set {LteInterface} up"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Host.IpOutput("-o", "link", "show", "up").Split('\n').Count(line => line.Contains("LOWER_UP", StringComparison.Ordinal) && !line.Contains(" lo:", StringComparison.Ordinal)) < 2)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the host's links did not get carrier: {Host.IpOutput("-o", "link")}");
        }
    }

    /// <summary>Starts radvd on the wifi network: prefix, RDNSS, DNSSL, a route to the server, high default preference.</summary>
    public Radvd StartWifiRouter() => Own(Radvd.Start(Wifi, new RadvdInterface("lan0")
    {
        Prefixes = [new RadvdPrefix(WifiPrefix)],
        DnsServers = [WifiDnsServer.ToString()],
        SearchDomains = ["wifi.example.test"],
        Routes = ["2001:db8:ff::/48"],
        DefaultPreference = "high",
    }));

    /// <summary>
    /// The lte router's advertisement with the PvD ID option: its prefix outside (so the kernel configures an address
    /// from it), its RDNSS and DNSSL inside (only a PvD-aware host reads those).
    /// </summary>
    public void AdvertiseLte(ushort routerLifetime = 1800) => RouterAdvertisementSender.Send(Lte, "lan0",
        new RouterAdvertisementBuilder(routerLifetime)
            .Prefix(LtePrefix, 86400, 14400)
            .ProvisioningDomain(LtePvd, sequence: 1, embedded: inner => inner.Rdnss(600, LteDnsServer.ToString()).Dnssl(600, "lte.example.test"))
            .Build());

    /// <summary>
    /// Runs the lte router: its advertisement (<see cref="AdvertiseLte"/>) every second, as radvd would, until the lab
    /// is disposed.
    /// </summary>
    public void StartLteRouter()
    {
        var timer = new Timer(_ =>
        {
            try
            {
                AdvertiseLte();
            }
            catch (InvalidOperationException)
            {
                // The lab is being taken down.
            }
        }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        // Stopped before the namespaces go (Dispose stops the other parts first).
        _parts.Insert(0, new TimerStopper(timer));
    }

    /// <summary>The host's address in <paramref name="prefix"/> (one the kernel made from a router's prefix), once there is one.</summary>
    public IPAddress? HostAddressIn(string prefix)
    {
        var network = IPNetwork.Parse(prefix);
        var text = Host.IpOutput("-6", "-o", "address", "show", "scope", "global");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(words => words[Array.IndexOf(words, "inet6") + 1].Split('/')[0])
            .Select(IPAddress.Parse)
            .FirstOrDefault(network.Contains);
    }

    /// <summary>The interface the host's kernel picks for <paramref name="destination"/>, as <c>ip route get</c> says.</summary>
    public string RouteGet(IPAddress destination, IPAddress? from = null)
    {
        string[] arguments = ["route", "get", destination.ToString()];
        if (from is not null) arguments = [.. arguments, "from", from.ToString()];
        return Host.IpOutput(arguments).Trim();
    }

    /// <summary>A TCP server in the internet namespace on <see cref="Server"/>, accepting connections until disposed.</summary>
    public Socket ListenOnServer(int port)
    {
        var listener = Internet.Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp));
        _parts.Add(listener);
        listener.Bind(new IPEndPoint(Server, port));
        listener.Listen();
        return listener;
    }

    public void Dispose()
    {
        // Timers, processes and sockets first, then the namespaces (which take their links with them).
        foreach (var part in _parts.OfType<TimerStopper>()) part.Dispose();
        foreach (var part in Enumerable.Reverse(_parts).Where(p => p is not NetworkNamespace and not TimerStopper)) part.Dispose();
        foreach (var part in Enumerable.Reverse(_parts).OfType<NetworkNamespace>()) part.Dispose();
        _parts.Clear();
    }

    private sealed class TimerStopper(Timer timer) : IDisposable
    {
        public void Dispose()
        {
            using var stopped = new ManualResetEvent(false);
            if (timer.Dispose(stopped)) stopped.WaitOne(TimeSpan.FromSeconds(5));
        }
    }

    private T Own<T>(T part) where T : IDisposable
    {
        _parts.Add(part);
        return part;
    }
}
