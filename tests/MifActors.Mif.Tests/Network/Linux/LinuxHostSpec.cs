using System.Net;
using Akka.Actor;
using Akka.TestKit;
using MifActors.Mif.Api;
using MifActors.Mif.Host;
using MifActors.Mif.Network.Linux;
using MifActors.Mif.Tests.Network.Linux.Support;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Network.Linux.Support.LinuxLab;
using static MifActors.Mif.Tests.Support.Translations;

namespace MifActors.Mif.Tests.Network.Linux;

/// <summary>
/// The MIF API on the Linux backend, in network namespaces: a host with a Wi-Fi and an LTE link, each network with
/// its own DNS server answering the same name differently, and a server reachable through both. Proves that each
/// PvD's names are translated by its own server with every query leaving through its own interface, and that a
/// connection stays on its PvD's interface where the kernel would have sent it through the other (needs root).
/// </summary>
public sealed class LinuxHostSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly LinuxLab _lab = new();
    private LinuxNetworkBackend _backend = null!;
    private IActorRef _host = null!;
    private TestProbe _app = null!;

    public LinuxHostSpec(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
        try
        {
            Start();
        }
        catch
        {
            // xunit does not dispose a test class whose constructor failed.
            _backend?.Dispose();
            _lab.Dispose();
            throw;
        }
    }

    private void Start()
    {
        _lab.BringUpHost();
        _backend = LinuxBackends.StartIn(_lab.Host, Sys);
        _host = MifHost.Start(Sys, _backend);
        _app = CreateTestProbe("app");
        _lab.StartWifiRouter();
        _lab.StartLteRouter();

        // The host agent knows an interface once it announced it; only then can its PvDs be asked for.
        _host.Tell(new AnnounceInterfaces(), _app.Ref);
        _app.ExpectMsg<InterfaceAnnouncement>(Wait);
        _app.ExpectMsg<InterfaceAnnouncement>(Wait);
        _host.Tell(new AnnounceProvisioningDomains(WifiInterface), _app.Ref);
        _host.Tell(new AnnounceProvisioningDomains(LteInterface), _app.Ref);
        var pending = new HashSet<string> { WifiPvd, LtePvd };
        _app.FishForMessage(message => message is ProvisioningDomainAnnouncement announced && pending.Remove(announced.PvdId) && pending.Count == 0, Wait);
    }

    [Fact]
    public void Each_pvd_translates_a_name_with_its_own_server_and_no_query_leaves_through_the_other_interface()
    {
        foreach (var (server, name) in new[] { (WifiDnsServer, "wifi"), (LteDnsServer, "lte") })
        {
            foreach (var device in new[] { WifiInterface, LteInterface })
                _lab.HostFilter.Count($"{name}-dns-via-{device}", "output", $"oifname \"{device}\" ip6 daddr {server} meta l4proto {{ udp, tcp }} th dport 53");
        }

        _host.Tell(new TranslateName(WifiPvd, "www.example.test", "wifi"), _app.Ref);
        _host.Tell(new TranslateName(LtePvd, "www.example.test", "lte"), _app.Ref);
        var results = Collect(_app, "wifi", "lte");

        Assert.Equal([WifiAnswer], results["wifi"].Addresses);
        Assert.Equal([LteAnswer], results["lte"].Addresses);
        Assert.IsType<NameTranslationComplete>(results["wifi"].End);
        Assert.IsType<NameTranslationComplete>(results["lte"].End);
        // A and AAAA, each through its PvD's interface only.
        Assert.Equal(2, _lab.HostFilter.Packets($"wifi-dns-via-{WifiInterface}"));
        Assert.Equal(2, _lab.HostFilter.Packets($"lte-dns-via-{LteInterface}"));
        Assert.Equal(0, _lab.HostFilter.Packets($"wifi-dns-via-{LteInterface}"));
        Assert.Equal(0, _lab.HostFilter.Packets($"lte-dns-via-{WifiInterface}"));
        Assert.Equal(2, _lab.WifiDns.Queries);
        Assert.Equal(2, _lab.LteDns.Queries);
    }

    [Fact]
    public void A_pvd_whose_interface_went_down_gets_no_answer_and_its_query_never_leaves_through_the_other_interface()
    {
        _lab.HostFilter.Count("lte-dns-via-wlan0", "output", $"oifname \"{WifiInterface}\" ip6 daddr {LteDnsServer}");
        var query = _backend.CreateDnsQuery(new MifActors.Mif.Network.DnsPath(LteInterface, LtePvd, [LteDnsServer], []), MifSettings.Get(Sys).Dns);

        _lab.Host.Ip("link", "set", LteInterface, "down");
        AwaitCondition(() => _lab.HostAddressIn(LtePrefix) is null, Wait);
        var failure = Assert.ThrowsAny<Exception>(() => query.Query("www.example.test", DnsClient.QueryType.AAAA));

        Assert.Contains(LteDnsServer.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, _lab.HostFilter.Packets("lte-dns-via-wlan0"));
        Assert.Equal(0, _lab.LteDns.Queries);
    }

    [Fact]
    public void A_connection_of_a_pvd_leaves_through_its_interface_even_where_the_kernel_prefers_the_other()
    {
        const int port = 8080;
        using var listener = _lab.ListenOnServer(port);
        _lab.WifiFilter.Count("to-server", "forward", $"ip6 daddr {Server} tcp dport {port}");
        _lab.LteFilter.Count("to-server", "forward", $"ip6 daddr {Server} tcp dport {port}");
        AwaitCondition(() => _lab.HostAddressIn(LtePrefix) is not null, Wait);
        var lteAddress = _lab.HostAddressIn(LtePrefix)!;
        // What the kernel alone would do with the LTE source address: Wi-Fi's router is the preferred default.
        Assert.Contains($"dev {WifiInterface}", _lab.RouteGet(Server, from: lteAddress), StringComparison.Ordinal);

        _host.Tell(new ConnectToAddress(Server, port, LtePvd, "c1"), _app.Ref);
        var connected = _app.ExpectMsg<Connected>(Wait);
        using var accepted = listener.Accept();

        Assert.Equal(lteAddress, connected.LocalAddress);
        Assert.Equal(lteAddress, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
        Assert.True(_lab.LteFilter.Packets("to-server") > 0, "the connection did not pass the lte router");
        Assert.Equal(0, _lab.WifiFilter.Packets("to-server"));
        connected.Stream!.Dispose();
    }

    [Fact]
    public void A_connection_to_a_port_nobody_listens_on_is_refused_through_the_pvds_interface()
    {
        _host.Tell(new ConnectToAddress(Server, 9, WifiPvd, "c2"), _app.Ref);

        var failed = _app.ExpectMsg<NotConnected>(Wait);
        Assert.Equal(ConnectionFailure.Refused, failed.Reason);
        Assert.Contains("through wlan0", failed.Message, StringComparison.Ordinal);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _backend.Dispose();
        _lab.Dispose();
    }
}
