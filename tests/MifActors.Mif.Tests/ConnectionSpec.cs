using System.Net;
using System.Net.Sockets;
using System.Text;
using MifActors.Mif.Api;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Simulated;
using MifActors.Mif.Tests.Support;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Support.Scenarios;
using Error = MifActors.Mif.Api.Error;

namespace MifActors.Mif.Tests;

/// <summary>
/// Draft section 3.2.7.22 - 3.2.7.25: connections from a PvD's source address, decided by the simulated network on
/// virtual time and carried by real loopback TCP.
/// </summary>
public sealed class ConnectionSpec : HostSpec
{
    private static readonly IPAddress Server4 = IPAddress.Parse("203.0.113.10");
    private static readonly IPAddress Server6 = IPAddress.Parse("2001:db8:ff::10");
    private static readonly IPAddress WifiAddress = Slaac("2001:db8:1::/64", "wlan0");

    public ConnectionSpec(ITestOutputHelper output) : base(output)
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Net.LeaseDhcpv4("wlan0", "192.168.1.20", 24, TimeSpan.FromHours(1), router: "192.168.1.1");
        Net.AddServer(new IPEndPoint(Server4, 7), SimulatedServer.Echo());
        Net.AddServer(new IPEndPoint(Server6, 7), SimulatedServer.Echo());
        Net.AddServer(new IPEndPoint(Server6, 9), SimulatedServer.Source(1L << 40));
        Net.AddServer(new IPEndPoint(Server4, 80), SimulatedServer.Http("204 No Content"));

        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ReceiveN(2);
    }

    [Fact]
    public void Connect_to_address_hands_over_a_stream_that_carries_bytes_from_an_address_of_the_pvd()
    {
        Send(new ConnectToAddress(Server6, 7, WifiPvd, "c1"));
        var connected = App.ExpectMsg<Connected>();
        Assert.Equal(("c1", WifiPvd, WifiAddress, Server6, 7), (connected.ConnectionId, connected.PvdId, connected.LocalAddress, connected.RemoteAddress, connected.RemotePort));
        using var stream = Assert.IsAssignableFrom<Stream>(connected.Stream);

        stream.Write("ping"u8);
        var echoed = new byte[4];
        stream.ReadExactly(echoed);
        Assert.Equal("ping", Encoding.ASCII.GetString(echoed));
    }

    [Fact]
    public void The_source_address_is_of_the_destinations_family()
    {
        Send(new ConnectToAddress(Server4, 7, "wlan0/dhcpv4", "v4"));
        var connected = App.ExpectMsg<Connected>();
        Assert.Equal(IPAddress.Parse("192.168.1.20"), connected.LocalAddress);
        connected.Stream!.Dispose();

        Send(new ConnectToAddress(Server4, 7, WifiPvd, "no-v4"));
        var failed = App.ExpectMsg<NotConnected>();
        Assert.Equal(ConnectionFailure.NoSourceAddress, failed.Reason);
        Assert.Contains("no IPv4 address", failed.Message);
    }

    [Fact]
    public void A_connection_takes_one_round_trip_of_virtual_time()
    {
        Net.SetDelay("wlan0", TimeSpan.FromMilliseconds(80));
        Send(new ConnectToAddress(Server6, 7, WifiPvd, "rtt"));
        Eventually(() => Net.PendingConnects == 1, "the attempt reached the network");
        Advance(TimeSpan.FromMilliseconds(79));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(TimeSpan.FromMilliseconds(1));
        App.ExpectMsg<Connected>().Stream!.Dispose();
    }

    [Fact]
    public void A_lost_syn_is_sent_again_after_the_retransmission_timeout()
    {
        // Which SYNs a lossy link loses follows mifactors.mif.simulated.loss-seed (1): the same ones every run.
        var random = new Random(1);
        var lost = 0;
        while (random.NextDouble() < 0.5)
        {
            lost++;
        }
        var expected = TimeSpan.FromMilliseconds(20) + TimeSpan.FromSeconds((1 << lost) - 1);   // RTOs of 1 s, 2 s, ...
        Net.SetDelay("wlan0", TimeSpan.FromMilliseconds(20));
        Net.SetLoss("wlan0", 0.5);

        Send(new ConnectToAddress(Server6, 7, WifiPvd, "lossy"));
        Eventually(() => Net.PendingConnects == 1, "the attempt reached the network");
        Advance(expected - TimeSpan.FromMilliseconds(1));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(TimeSpan.FromMilliseconds(1));
        App.ExpectMsg<Connected>().Stream!.Dispose();
        Assert.True(lost > 0, "the seed was meant to lose at least the first SYN");
    }

    [Fact]
    public void A_port_without_a_server_refuses_and_an_address_without_one_is_unreachable()
    {
        Send(new ConnectToAddress(Server6, 8080, WifiPvd, "refused"));
        var refused = App.ExpectMsg<NotConnected>();
        Assert.Equal(("refused", ConnectionFailure.Refused), (refused.ConnectionId, refused.Reason));

        Send(new ConnectToAddress(IPAddress.Parse("2001:db8:dead::1"), 443, WifiPvd, "nowhere"));
        var unreachable = App.ExpectMsg<NotConnected>();
        Assert.Equal(("nowhere", ConnectionFailure.Unreachable), (unreachable.ConnectionId, unreachable.Reason));
    }

    [Fact]
    public void A_black_hole_times_out_after_the_connect_timeout_on_virtual_time()
    {
        Net.Blackhole("wlan0");
        Send(new ConnectToAddress(Server6, 7, WifiPvd, "bh"));
        Eventually(() => Net.PendingConnects == 1, "the attempt reached the network");
        Advance(TimeSpan.FromSeconds(9));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(TimeSpan.FromSeconds(1));   // mifactors.mif.connect-timeout = 10s
        var failed = App.ExpectMsg<NotConnected>();
        Assert.Equal(ConnectionFailure.TimedOut, failed.Reason);
        Assert.Contains("connect-timeout", failed.Message);
        Eventually(() => Net.PendingConnects == 0, "the attempt was given up in the network too");
    }

    [Fact]
    public void Connect_from_an_address_that_is_not_the_pvds_is_refused_before_anything_is_sent()
    {
        Send(new ConnectToAddressFromAddress(IPAddress.Parse("2001:db8:9::1"), Server6, 7, WifiPvd, "foreign"));
        var failed = App.ExpectMsg<NotConnected>();
        Assert.Equal(ConnectionFailure.NoSourceAddress, failed.Reason);

        Send(new ConnectToAddressFromAddress(WifiAddress, Server6, 7, WifiPvd, "own"));
        var connected = App.ExpectMsg<Connected>();
        Assert.Equal(WifiAddress, connected.LocalAddress);
        connected.Stream!.Dispose();
    }

    [Fact]
    public void Connect_to_an_unknown_pvd_is_not_connected_and_a_connection_id_in_use_is_an_error()
    {
        Send(new ConnectToAddress(Server6, 7, "nowhere.example", "x"));
        Assert.Equal(ConnectionFailure.UnknownPvd, App.ExpectMsg<NotConnected>().Reason);

        Send(new ConnectToAddress(Server6, 7, WifiPvd, "same"));
        var first = App.ExpectMsg<Connected>();
        Send(new ConnectToAddress(Server6, 7, WifiPvd, "same"));
        Assert.Equal((nameof(ConnectToAddress), "same"), ValueOf(App.ExpectMsg<Error>()));

        // Closing the stream ends the connection and frees its id.
        first.Stream!.Dispose();
        AwaitAssert(() =>
        {
            Send(new ConnectToAddress(Server6, 7, WifiPvd, "same"));
            App.ExpectMsg<Connected>().Stream!.Dispose();
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void An_interface_going_away_resets_its_connections_mid_transfer()
    {
        Send(new ConnectToAddress(Server6, 9, WifiPvd, "download"));
        var stream = App.ExpectMsg<Connected>().Stream!;
        var buffer = new byte[64 * 1024];
        var received = stream.Read(buffer);
        Assert.True(received > 0);

        Net.RemoveInterface("wlan0");
        void ReadToTheEnd()
        {
            while (stream.Read(buffer) > 0)
            {
            }
            Assert.Fail("the download ended normally instead of being reset");
        }
        var reset = Assert.ThrowsAny<IOException>(ReadToTheEnd);
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(reset.InnerException).SocketErrorCode);
        stream.Dispose();
    }

    [Fact]
    public void A_subscriber_with_a_connection_hears_that_its_interface_is_going_away()
    {
        var application = CreateTestProbe();   // subscribed to nothing, only connected
        Send(application, new ConnectToAddress(Server6, 7, WifiPvd, "c"));
        using var stream = application.ExpectMsg<Connected>().Stream!;
        Net.AnnounceGoingAway("wlan0");
        Assert.Equal(new InterfaceIsGoingAway("wlan0"), application.ExpectMsg<InterfaceIsGoingAway>());
    }

    [Fact]
    public void A_captive_portal_answers_every_connection_with_its_login_page()
    {
        Net.CaptivePortal("wlan0", SimulatedServer.CaptivePortal("http://portal.example/login"));
        Send(new ConnectToAddress(Server4, 80, "wlan0/dhcpv4", "probe"));
        var connected = App.ExpectMsg<Connected>();
        Assert.Equal(Server4, connected.RemoteAddress);   // the application believes it reached the server
        using var reader = new StreamReader(connected.Stream!);
        connected.Stream!.Write("GET /generate_204 HTTP/1.1\r\nHost: connectivity.example\r\n\r\n"u8);
        Assert.Equal("HTTP/1.1 302 Found", reader.ReadLine());
        Assert.Equal("Location: http://portal.example/login", reader.ReadLine());
    }

    [Fact]
    public void Connection_hints_go_to_established_connections_only()
    {
        Send(new ConnectToAddress(Server6, 7, WifiPvd, "c"));
        using var stream = App.ExpectMsg<Connected>().Stream!;
        Send(new ConnectionIsIdle("c"));
        Send(new ConnectionCanBeBroken("c"));
        Send(new ConnectionIsIdle("unknown"));
        Assert.Equal((nameof(ConnectionIsIdle), "unknown"), ValueOf(App.ExpectMsg<Error>()));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_connection_is_closed_when_its_subscriber_terminates()
    {
        var application = CreateTestProbe();
        Send(application, new ConnectToAddress(Server6, 7, WifiPvd, "orphan"));
        var stream = application.ExpectMsg<Connected>().Stream!;
        Sys.Stop(application.Ref);
        // The host closes the connection: the application's side of it is disposed.
        Eventually(() =>
        {
            try
            {
                stream.Write("x"u8);
                return false;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }, "the stream was closed");
    }

    private static (string, string?) ValueOf(Error error) => (error.Request, error.Id);
}
