using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MifActors.Mif.Api;
using MifActors.Mif.Api.Json;
using MifActors.Mif.Api.Socket;
using MifActors.Mif.Client;
using MifActors.Node.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Node.Tests.Api;

/// <summary>The JSON-lines socket in front of a host agent played by a probe: framing, errors, the bounded queue.</summary>
public sealed class MifApiSocketSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private readonly TempSocketPath _socket = new();

    private (TestProbe Host, IActorRef Server) StartServer(string keys = "")
    {
        var host = CreateTestProbe();
        var config = ConfigurationFactory.ParseString($"mifactors.mif.api {{ socket = \"{_socket.Path}\"\n{keys} }}");
        var settings = MifApiSocketSettings.From(config);
        var server = EventFilter.Info(start: "MIF API listening on").ExpectOne(() =>
            Sys.ActorOf(MifApiSocketServer.Props(host.Ref, settings), "mif-api"));
        return (host, server);
    }

    [Fact]
    public async Task A_request_reaches_the_host_agent_from_the_connection_and_the_answers_come_back_in_order()
    {
        var (host, _) = StartServer();
        await using var client = await MifClient.ConnectAsync(_socket.Path);

        client.Post(new AnnounceInterfaces());
        host.ExpectMsg<AnnounceInterfaces>();
        host.Reply(new InterfaceAnnouncement("eth0", "Ethernet"));
        host.Reply(new InterfaceAnnouncement("wlan0", "Wi-Fi"));

        Assert.Equal(new InterfaceAnnouncement("eth0", "Ethernet"), await client.WaitForMessageAsync());
        Assert.Equal(new InterfaceAnnouncement("wlan0", "Wi-Fi"), await client.WaitForMessageAsync());
        Assert.False(client.TryGetMessage(out _));
    }

    [Fact]
    public async Task Each_connection_is_a_subscriber_of_its_own()
    {
        var (host, _) = StartServer();
        await using var first = await MifClient.ConnectAsync(_socket.Path);
        await using var second = await MifClient.ConnectAsync(_socket.Path);

        first.Post(new AnnounceInterfaces());
        host.ExpectMsg<AnnounceInterfaces>();
        var firstSender = host.LastSender;
        second.Post(new AnnounceInterfaces());
        host.ExpectMsg<AnnounceInterfaces>();
        var secondSender = host.LastSender;

        Assert.NotEqual(firstSender, secondSender);
        secondSender.Tell(new NoInterfaceAnnouncement("wlan0"));
        Assert.Equal(new NoInterfaceAnnouncement("wlan0"), await second.WaitForMessageAsync());
        Assert.Null(await first.WaitForMessageAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Malformed_lines_are_answered_with_errors_naming_the_line_and_the_connection_stays_usable()
    {
        var (host, _) = StartServer();
        using var client = LineSocket.Connect(_socket.Path);

        client.SendLine("hello");
        client.SendLine("""{"type":"AnnounceEverything"}""");
        client.SendLine("""{"type":"AnnounceProvisioningDomains","interface":"eth0"}""");
        client.SendLine("""{"type":"InterfaceAnnouncement","interfaceId":"eth0","displayName":"x"}""");
        client.SendLine("");
        client.SendLine("""{"type":"AnnounceProvisioningDomains","interfaceId":"eth0"}""");

        var errors = new List<Error>();
        for (var i = 0; i < 4; i++)
            errors.Add(Decode<Error>(await client.ExpectLineAsync()));
        Assert.StartsWith("line 1: not valid JSON", errors[0].Message);
        Assert.Equal("AnnounceEverything", errors[1].Request);
        Assert.StartsWith("line 2: unknown type \"AnnounceEverything\"; requests are AnnounceInterfaces", errors[1].Message);
        Assert.StartsWith("line 3: AnnounceProvisioningDomains: unknown property \"interface\"", errors[2].Message);
        Assert.StartsWith("line 4: InterfaceAnnouncement is a message from the MIF API, not a request", errors[3].Message);
        host.ExpectMsg(new AnnounceProvisioningDomains("eth0"));
        host.Reply(new ProvisioningDomainAnnouncement("eth0", "pvd.example.com"));
        Assert.Equal(new ProvisioningDomainAnnouncement("eth0", "pvd.example.com"),
            Decode<ProvisioningDomainAnnouncement>(await client.ExpectLineAsync()));
    }

    [Fact]
    public async Task A_line_over_the_length_limit_is_skipped_with_an_error_and_the_next_line_is_read()
    {
        var (host, _) = StartServer("max-line-length = 256");
        using var client = LineSocket.Connect(_socket.Path);

        client.SendLine($$"""{"type":"AnnounceProvisioningDomains","interfaceId":"{{new string('x', 5000)}}"}""");
        client.SendLine("""{"type":"AnnounceProvisioningDomains","interfaceId":"eth0"}""");

        var error = Decode<Error>(await client.ExpectLineAsync());
        Assert.Equal("line 1: longer than mifactors.mif.api.max-line-length (256 bytes); the line was skipped", error.Message);
        host.ExpectMsg(new AnnounceProvisioningDomains("eth0"));
    }

    [Fact]
    public async Task A_reader_too_slow_for_the_queue_gets_an_unbroken_prefix_and_then_how_many_messages_were_lost()
    {
        const int queue = 8;
        const int sent = 20_000;
        var (host, _) = StartServer($"subscriber-queue = {queue}");
        using var client = LineSocket.Connect(_socket.Path);
        client.SendLine("""{"type":"AnnounceInterfaces"}""");
        host.ExpectMsg<AnnounceInterfaces>();
        var connection = host.LastSender;

        // The client reads nothing until the connection has handled every message.
        for (var i = 0; i < sent; i++)
            connection.Tell(new InterfaceAnnouncement($"if{i}", "a display name of some length, as people write them"), host.Ref);
        connection.Tell(new Identify("handled"), host.Ref);
        host.ExpectMsg<ActorIdentity>();

        var delivered = 0;
        MessagesLost? lost = null;
        while (lost is null)
        {
            var line = await client.ExpectLineAsync();
            if (line.Contains("\"MessagesLost\"", StringComparison.Ordinal))
            {
                lost = Decode<MessagesLost>(line);
                break;
            }
            Assert.Equal($"if{delivered}", Decode<InterfaceAnnouncement>(line).InterfaceId);
            delivered++;
        }

        Output.WriteLine($"delivered {delivered}, lost {lost.Count}");
        Assert.Equal(sent - delivered, lost.Count);
        Assert.True(lost.Count > 0);
        // What was not dropped is what the kernel's socket buffer took, plus at most one write and one queue.
        var perLine = MifJson.EncodeLine(new InterfaceAnnouncement("if0", "a display name of some length, as people write them")).Length;
        Assert.InRange(delivered, queue, (4 * 1024 * 1024 / perLine) + (2 * queue));
        // After the report the stream goes on.
        connection.Tell(new NoInterfaceAnnouncement("if0"), host.Ref);
        Assert.Equal(new NoInterfaceAnnouncement("if0"), Decode<NoInterfaceAnnouncement>(await client.ExpectLineAsync()));
    }

    [Fact]
    public async Task After_the_end_of_its_input_a_connection_still_receives_answers_and_is_then_closed()
    {
        var (host, _) = StartServer("half-close-linger = 300ms");
        using var client = LineSocket.Connect(_socket.Path);

        client.SendLine("""{"type":"AnnounceInterfaces"}""");
        client.EndInput();
        host.ExpectMsg<AnnounceInterfaces>();
        host.Reply(new InterfaceAnnouncement("eth0", "Ethernet"));

        Assert.Equal("eth0", Decode<InterfaceAnnouncement>(await client.ExpectLineAsync()).InterfaceId);
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task A_connection_over_the_limit_is_told_why_and_closed()
    {
        StartServer("max-connections = 1");
        using var first = LineSocket.Connect(_socket.Path);
        first.SendLine("""{"type":"AnnounceInterfaces"}""");
        using var second = LineSocket.Connect(_socket.Path);

        var error = Decode<Error>(await second.ExpectLineAsync());
        Assert.Contains("mifactors.mif.api.max-connections", error.Message);
        Assert.Null(await second.ReadLineAsync());
    }

    [Fact]
    public async Task A_connected_message_carries_the_endpoints_and_its_stream_is_closed_by_the_connection()
    {
        var (host, _) = StartServer();
        await using var client = await MifClient.ConnectAsync(_socket.Path);
        client.Post(new WantsToConnect());
        host.ExpectMsg<WantsToConnect>();
        var stream = new MemoryStream();

        host.Reply(new Connected("c-1", "pvd.example.com", System.Net.IPAddress.IPv6Loopback, 40000, System.Net.IPAddress.IPv6Loopback, 443)
        {
            Stream = stream,
        });

        var connected = Assert.IsType<Connected>(await client.WaitForMessageAsync());
        Assert.Equal(443, connected.RemotePort);
        Assert.Null(connected.Stream);
        Assert.False(stream.CanRead);
    }

    [Fact]
    public void The_socket_file_is_removed_when_the_server_stops()
    {
        var (_, server) = StartServer();

        Watch(server);
        Sys.Stop(server);
        ExpectTerminated(server);

        Assert.False(File.Exists(_socket.Path));
    }

    [Fact]
    public async Task A_stale_socket_file_left_by_a_dead_node_is_replaced()
    {
        // A process killed with SIGKILL leaves its socket file behind (.NET's own sockets remove theirs on dispose).
        using (var dead = Process.Start("socat", ["-u", $"UNIX-LISTEN:{_socket.Path}", "/dev/null"]))
        {
            AwaitCondition(() => File.Exists(_socket.Path));
            dead.Kill();
            await dead.WaitForExitAsync();
        }
        Assert.True(File.Exists(_socket.Path));

        var (host, _) = StartServer();
        await using var client = await MifClient.ConnectAsync(_socket.Path);
        client.Post(new AnnounceInterfaces());

        host.ExpectMsg<AnnounceInterfaces>();
    }

    [Fact]
    public async Task The_client_ends_its_messages_when_the_server_closes_the_connection()
    {
        var (_, server) = StartServer();
        await using var client = await MifClient.ConnectAsync(_socket.Path);

        Sys.Stop(server);

        await client.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAsync<IOException>(() => client.WaitForMessageAsync());
        Assert.Empty(await client.ReadAllAsync().ToListAsync());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _socket.Dispose();
    }

    private static T Decode<T>(string line)
    {
        Assert.True(MifJson.TryDecode(System.Text.Encoding.UTF8.GetBytes(line), out var message, out var error), error?.Message);
        return Assert.IsType<T>(message);
    }
}
