using MifActors.Mif.Api;
using MifActors.Mif.Client;
using MifActors.Node.Tests.Support;
using MifActors.Testing.Namespaces;

namespace MifActors.Node.Tests.Daemon;

/// <summary>
/// A node as a host runs it: the Linux backend in a network namespace of the test's own (root, as CI runs), real
/// interfaces appearing and going, announced over the socket.
/// </summary>
public sealed class LinuxNodeSpec : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();
    private readonly TempSocketPath _socket = new();
    private readonly NetworkNamespace _space = NetworkNamespace.Create("node");
    // The far ends of the host's links (the kernel here has no dummy links).
    private readonly NetworkNamespace _far = NetworkNamespace.Create("far");

    [Fact]
    public async Task A_node_on_the_linux_backend_announces_the_interfaces_of_its_namespace_as_they_come_and_go()
    {
        AddLink("eth7");
        var config = _directory.Write("host.conf", $$"""
            mifactors {
              node { name = netns-host, roles = [host-agent] }
              mif.backend = linux
              mif.linux.network-namespace = "{{_space.Name}}"
              mif.api.socket = "{{_socket.Path}}"
            }
            """);
        using var node = NodeProcess.Start(["--config", config]);
        await node.WaitForOutputAsync("MIF API listening on");

        await using (var client = await MifClient.ConnectAsync(_socket.Path))
        {
            client.Post(new AnnounceInterfaces());
            Assert.Equal("eth7", Assert.IsType<InterfaceAnnouncement>(await client.WaitForMessageAsync(Patience)).InterfaceId);

            AddLink("wlan7");
            Assert.Equal("wlan7", (await NextAsync<InterfaceAnnouncement>(client)).InterfaceId);

            _space.Ip("link", "del", "eth7");
            Assert.Equal(new NoInterfaceAnnouncement("eth7"), await NextAsync<NoInterfaceAnnouncement>(client));
        }

        node.Terminate();
        Assert.Equal(0, await node.ExitCodeAsync());
        Assert.False(File.Exists(_socket.Path));
    }

    [Fact]
    public async Task A_node_whose_backend_cannot_start_stops_with_one_line_and_exit_code_1()
    {
        var config = _directory.Write("host.conf", $$"""
            mifactors {
              node.roles = [host-agent]
              mif.backend = linux
              mif.linux.network-namespace = "{{_space.Name}}-gone"
              mif.api.socket = "{{_socket.Path}}"
            }
            """);
        using var node = NodeProcess.Start(["--config", config]);

        Assert.Equal(1, await node.ExitCodeAsync());
        var line = Assert.Single(node.Errors);
        Assert.StartsWith("the node stopped by itself: the linux network backend could not start: ", line);
        Assert.Contains($"{_space.Name}-gone", line);
        Assert.False(File.Exists(_socket.Path));
    }

    private void AddLink(string name)
    {
        _space.Ip("link", "add", name, "type", "veth", "peer", "name", $"{name}-far", "netns", _far.Name);
        _far.Ip("link", "set", $"{name}-far", "up");
        _space.Ip("link", "set", name, "up");
    }

    public void Dispose()
    {
        _far.Dispose();
        _space.Dispose();
        _socket.Dispose();
        _directory.Dispose();
    }

    // Other announcements may come between (an interface going up is announced as it changes); skip to the kind wanted.
    private static async Task<T> NextAsync<T>(MifClient client)
    {
        while (true)
        {
            var message = await client.WaitForMessageAsync(Patience) ?? throw new TimeoutException($"no {typeof(T).Name} came");
            if (message is T wanted)
                return wanted;
        }
    }
}
