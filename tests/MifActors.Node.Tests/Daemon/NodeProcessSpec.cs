using MifActors.Mif.Api;
using MifActors.Mif.Client;
using MifActors.Node.Tests.Support;

namespace MifActors.Node.Tests.Daemon;

/// <summary>The node as a user runs it: a real process from the built assembly, a config file, signals, exit codes.</summary>
public sealed class NodeProcessSpec : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly TempSocketPath _socket = new();

    private string HostAgentConfig(string socket) => _directory.Write("host.conf", $$"""
        mifactors {
          node { name = test-host, roles = [host-agent] }
          mif.backend = simulated
          mif.api.socket = "{{socket}}"
        }
        """);

    [Fact]
    public async Task A_node_with_the_host_agent_role_answers_a_subscriber_on_its_socket_and_stops_cleanly_on_sigterm()
    {
        using var node = NodeProcess.Start(["--config", HostAgentConfig(_socket.Path)]);
        await node.WaitForOutputAsync($"MIF API listening on {_socket.Path}");

        await using (var client = await MifClient.ConnectAsync(_socket.Path))
        {
            client.Post(new AnnounceInterfaces());
            client.Post(new ConnectToPvd("pvd.example.com"));

            // The simulated network of a node has no interfaces (there is no HOCON way to describe one yet), so the
            // first answer is the host agent's to the second request.
            var answer = Assert.IsType<Error>(await client.WaitForMessageAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal("ConnectToPvd", answer.Request);
            Assert.Contains("pvd.example.com", answer.Message);
        }

        node.Terminate();

        Assert.Equal(0, await node.ExitCodeAsync());
        Assert.False(File.Exists(_socket.Path));
        Assert.Empty(node.Errors);
        Assert.Contains(node.Output, line => line.Contains("Node test-host running roles [host-agent]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_environment_variable_overrides_the_socket_path_of_the_config_file()
    {
        using var elsewhere = new TempSocketPath();
        using var node = NodeProcess.Start(
            ["--config", HostAgentConfig(_socket.Path)],
            new Dictionary<string, string> { ["MIFACTORS__MIF__API__SOCKET"] = elsewhere.Path });

        await node.WaitForOutputAsync($"MIF API listening on {elsewhere.Path}");
        Assert.True(File.Exists(elsewhere.Path));
        Assert.False(File.Exists(_socket.Path));

        node.Terminate();
        Assert.Equal(0, await node.ExitCodeAsync());
    }

    [Fact]
    public async Task A_second_node_on_a_socket_that_is_served_stops_with_one_line_and_exit_code_1()
    {
        using var first = NodeProcess.Start(["--config", HostAgentConfig(_socket.Path)]);
        await first.WaitForOutputAsync("MIF API listening on");

        using var second = NodeProcess.Start(["--config", HostAgentConfig(_socket.Path)]);

        Assert.Equal(1, await second.ExitCodeAsync());
        var line = Assert.Single(second.Errors);
        Assert.Equal($"the node stopped by itself: MIF API socket {_socket.Path}: another process is serving it; " +
            "stop that node or set mifactors.mif.api.socket to another path", line);
        first.Terminate();
        Assert.Equal(0, await first.ExitCodeAsync());
    }

    public static TheoryData<string, string, string> BadConfigs => new()
    {
        {
            "unclosed-bracket",
            "mifactors.node.name = a\nmifactors.node.roles = [host-agent\n",
            "node.conf:2:24: '[' opened here is never closed"
        },
        {
            "bracket-closed-by-brace",
            "mifactors {\n  node {\n    roles = [host-agent\n  }\n}\n",
            "node.conf:4:3: '}' closes the '[' opened at 3:13; expected ']' first"
        },
        {
            "unknown-role",
            "mifactors.node.roles = [host-agent, lma2]\n",
            "node.conf: mifactors.node.roles: unknown role \"lma2\"; known roles are host-agent"
        },
        {
            "wrong-type",
            "mifactors.node.roles = [host-agent]\nmifactors.mif.api.subscriber-queue = lots\n",
            "node.conf: mifactors.mif.api.subscriber-queue: expected a whole number from 1 to 1000000, got \"lots\""
        },
        {
            "roles-not-a-list",
            "mifactors.node.roles = host-agent\n",
            "node.conf: mifactors.node.roles: expected a list of strings like [a, b], got \"host-agent\""
        },
        {
            "optional-substitution",
            "mifactors.node.roles = [host-agent]\nmifactors.mif.api.socket = ${?SOCKET}\n",
            "node.conf:2:28: '${?' (an optional substitution) is not supported"
        },
        {
            "double-separator",
            "mifactors.node { name = = x }\n",
            "node.conf:1:25: '=' follows the separator at 1:23 with no value between them"
        },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task A_bad_config_is_one_line_on_stderr_naming_the_file_or_key_and_a_non_zero_exit(string _, string config, string expected)
    {
        var file = _directory.Write("node.conf", config);

        using var node = NodeProcess.Start(["--config", file], workingDirectory: _directory.Path);

        Assert.Equal(2, await node.ExitCodeAsync());
        var line = Assert.Single(node.Errors);
        Assert.StartsWith(expected, line);
        Assert.Empty(node.Output);
    }

    [Fact]
    public async Task A_missing_config_file_is_one_line_naming_it()
    {
        using var node = NodeProcess.Start(["--config", "no-such.conf"], workingDirectory: _directory.Path);

        Assert.Equal(2, await node.ExitCodeAsync());
        Assert.Equal("no-such.conf: no such file", Assert.Single(node.Errors));
    }

    [Fact]
    public async Task A_wrong_value_from_the_environment_names_the_variable()
    {
        using var node = NodeProcess.Start(
            ["--config", HostAgentConfig(_socket.Path)],
            new Dictionary<string, string> { ["MIFACTORS__MIF__API__MAX_CONNECTIONS"] = "many" });

        Assert.Equal(2, await node.ExitCodeAsync());
        Assert.Equal(
            "mifactors.mif.api.max-connections: expected a whole number from 1 to 100000, got \"many\" " +
            "(set by environment variable MIFACTORS__MIF__API__MAX_CONNECTIONS)",
            Assert.Single(node.Errors));
    }

    public void Dispose()
    {
        _socket.Dispose();
        _directory.Dispose();
    }
}
