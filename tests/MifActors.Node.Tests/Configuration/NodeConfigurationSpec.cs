using MifActors.Node.Configuration;
using MifActors.Node.Roles;
using MifActors.Node.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace MifActors.Node.Tests.Configuration;

public sealed class NodeConfigurationSpec : IDisposable
{
    private static readonly EnvironmentOverrides NoEnvironment = Environment();

    private readonly TempDirectory _directory = new();

    [Fact]
    public void The_file_overrides_the_defaults_and_the_environment_overrides_the_file()
    {
        var file = _directory.Write("node.conf", """
            mifactors.node { name = from-file, roles = [host-agent] }
            mifactors.mif.api { socket = "/tmp/from-file.sock", subscriber-queue = 10 }
            """);

        var loaded = NodeConfiguration.Load(file, Environment(("MIFACTORS:MIF:API:SOCKET", "/tmp/from-env.sock")), NodeRoles.All);

        Assert.Equal("from-file", loaded.Settings.Name);
        Assert.Equal([NodeRoles.HostAgent], loaded.Settings.Roles);
        Assert.Equal("/tmp/from-env.sock", loaded.Config.GetString("mifactors.mif.api.socket"));
        Assert.Equal(10, loaded.Config.GetInt("mifactors.mif.api.subscriber-queue"));
        // hocon/mif.conf, the host agent's module defaults, is under everything.
        Assert.Equal(256, loaded.Config.GetInt("mifactors.mif.api.max-connections"));
        Assert.Equal("INFO", loaded.Config.GetString("akka.loglevel"));
    }

    [Fact]
    public void Environment_names_use_double_underscores_for_dots_and_single_ones_for_hyphens_in_any_case()
    {
        var environment = Environment(
            ("MIFACTORS:MIF:API:HALF_CLOSE_LINGER", "5s"),
            ("mifactors:node:roles:0", "host-agent"),
            ("Akka:LogLevel", "DEBUG"));

        var loaded = NodeConfiguration.Load(null, environment, NodeRoles.All);

        Assert.Equal(TimeSpan.FromSeconds(5), loaded.Config.GetTimeSpan("mifactors.mif.api.half-close-linger"));
        Assert.Equal([NodeRoles.HostAgent], loaded.Settings.Roles);
        Assert.Equal(Akka.Event.LogLevel.DebugLevel, loaded.Settings.LogLevel);
        Assert.Equal("MIFACTORS__MIF__API__HALF_CLOSE_LINGER", environment.VariableFor("mifactors.mif.api.half-close-linger"));
    }

    [Fact]
    public void The_real_environment_provider_gives_the_same_names()
    {
        // A name no other test reads; the process-level tests do not pass the runner's MIFACTORS__ variables on.
        const string variable = "MIFACTORS__NODE__NAME";
        System.Environment.SetEnvironmentVariable(variable, "from-the-environment");
        try
        {
            var environment = EnvironmentOverrides.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());

            Assert.Equal("from-the-environment", environment.Config.GetString("mifactors.node.name"));
            Assert.Equal(variable, environment.VariableFor("mifactors.node.name"));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Includes_are_read_relative_to_the_file_that_includes_them()
    {
        _directory.Write("roles/host.conf", "include \"../sockets/socket.conf\"\nmifactors.node.roles = [host-agent]\n");
        _directory.Write("sockets/socket.conf", "mifactors.mif.api.socket = \"/tmp/included.sock\"\n");
        var file = _directory.Write("node.conf", "include \"roles/host.conf\"\nmifactors.node.name = included\n");

        var loaded = NodeConfiguration.Load(file, NoEnvironment, NodeRoles.All);

        Assert.Equal("included", loaded.Settings.Name);
        Assert.Equal("/tmp/included.sock", loaded.Config.GetString("mifactors.mif.api.socket"));
    }

    [Fact]
    public void A_structural_fault_in_an_included_file_names_that_file()
    {
        _directory.Write("sub/broken.conf", "mifactors.node.roles = [host-agent\n");
        var file = _directory.Write("node.conf", "include \"sub/broken.conf\"\n");

        var error = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(file, NoEnvironment, NodeRoles.All));

        Assert.EndsWith($"{Path.Combine("sub", "broken.conf")}:1:24: '[' opened here is never closed", error.Message);
    }

    [Fact]
    public void A_missing_include_names_the_including_file_and_line()
    {
        var file = _directory.Write("node.conf", "mifactors.node.name = a\ninclude \"gone.conf\"\n");

        var error = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(file, NoEnvironment, NodeRoles.All));

        Assert.Matches(@"node\.conf:2:9: include ""gone\.conf"": no such file .*gone\.conf \(includes are relative to the including file\)$", error.Message);
    }

    [Fact]
    public void An_include_loop_is_an_error_not_a_stack_overflow()
    {
        _directory.Write("a.conf", "include \"b.conf\"\n");
        _directory.Write("b.conf", "include \"a.conf\"\n");

        var error = Assert.Throws<NodeConfigurationException>(() =>
            NodeConfiguration.Load(Path.Combine(_directory.Path, "a.conf"), NoEnvironment, NodeRoles.All));

        Assert.Contains("an include loop has no end", error.Message);
    }

    [Fact]
    public void An_unknown_token_gets_the_line_and_column_of_akkas_offset()
    {
        var file = _directory.Write("node.conf", "mifactors.node.name = a\nmifactors.node.roles = @\n");

        var error = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(file, NoEnvironment, NodeRoles.All));

        Assert.EndsWith("node.conf:2:24: unexpected '@': expected a key, a value or a separator here", error.Message);
    }

    [Fact]
    public void A_substitution_of_a_key_the_file_does_not_set_is_named()
    {
        var file = _directory.Write("node.conf", "mifactors.node.name = ${mifactors.node.nickname}\n");

        var error = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(file, NoEnvironment, NodeRoles.All));

        Assert.EndsWith("node.conf:1:23: ${mifactors.node.nickname} refers to a key this file does not set " +
            "(substitutions are resolved within the file and its includes, not against the defaults)", error.Message);
    }

    [Theory]
    [InlineData("mifactors.node.roles = []", "mifactors.node.roles: no roles to run; list at least one of host-agent in the --config file (e.g. roles = [host-agent], as hocon/host.conf does)")]
    [InlineData("mifactors.node.roles = [host-agent, host-agent]", "mifactors.node.roles: role \"host-agent\" is listed twice")]
    [InlineData("mifactors.node.roles = [[host-agent]]", "mifactors.node.roles[0]: expected a string, got a list")]
    [InlineData("mifactors.node { roles = [host-agent], name = \"my node\" }", "mifactors.node.name: \"my node\" cannot name an actor system")]
    [InlineData("mifactors.node { roles = [host-agent], name { first = a } }", "mifactors.node.name: expected a string, got an object")]
    [InlineData("mifactors.node.roles = [host-agent]\nakka.loglevel = LOUD", "akka.loglevel: expected DEBUG, INFO, WARNING, ERROR or OFF, got \"LOUD\"")]
    [InlineData("mifactors.node.roles = [host-agent]\nmifactors.mif.api.socket-mode = 999", "mifactors.mif.api.socket-mode: expected permissions in octal as chmod takes them (600, 660), got \"999\"")]
    [InlineData("mifactors.node.roles = [host-agent]\nmifactors.mif.backend = cloud", "mifactors.mif.backend: expected simulated or linux, got \"cloud\"")]
    public void A_wrong_value_is_an_error_that_names_the_key(string config, string expected)
    {
        var file = _directory.Write("node.conf", config);

        var error = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(file, NoEnvironment, NodeRoles.All));

        // The file set the key, so the error names both.
        Assert.StartsWith($"{file}: {expected}", error.Message);
    }

    [Fact]
    public void The_host_agent_role_file_runs_the_linux_backend_behind_a_system_socket()
    {
        var loaded = NodeConfiguration.Load(Repository.File("hocon/host.conf"), NoEnvironment, NodeRoles.All);

        Assert.Equal("host", loaded.Settings.Name);
        Assert.Equal([NodeRoles.HostAgent], loaded.Settings.Roles);
        Assert.Equal("linux", loaded.Config.GetString("mifactors.mif.backend"));
        Assert.Equal("/run/mifactors/mif.sock", loaded.Config.GetString("mifactors.mif.api.socket"));
    }

    [Fact]
    public void Without_a_file_the_node_says_how_to_give_it_roles()
    {
        var error = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(null, NoEnvironment, NodeRoles.All));

        Assert.StartsWith("mifactors.node.roles: no roles to run", error.Message);
    }

    public void Dispose() => _directory.Dispose();

    private static EnvironmentOverrides Environment(params (string Key, string Value)[] variables) =>
        EnvironmentOverrides.From(new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());
}
