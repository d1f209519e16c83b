using Microsoft.Extensions.Configuration;
using MifActors.Hocon.Tests.Support;

namespace MifActors.Hocon.Tests;

/// <summary>hocon/reference.conf holds every default; the role files build on it.</summary>
public sealed class ReferenceConfTests
{
    [Fact]
    public void The_embedded_reference_conf_is_the_file_in_the_repository() =>
        Assert.Equal(File.ReadAllText(Path.Combine(SharedFiles.HoconFolder, "reference.conf")), Hocon.ReferenceConf);

    [Theory]
    [InlineData("mifactors:actor:throughput", "30")]
    [InlineData("mifactors:actor:ask-timeout", "5s")]
    [InlineData("mifactors:actor:log-dead-letters", "10")]
    [InlineData("mifactors:testkit:single-expect-default", "3s")]
    [InlineData("mifactors:testkit:expect-no-message-default", "100ms")]
    [InlineData("mifactors:testkit:time-factor", "1.0")]
    [InlineData("mifactors:persistence:journal:plugin", "sqlite")]
    [InlineData("mifactors:persistence:journal:sqlite:connection-string", "Data Source=mifactors.db")]
    [InlineData("mifactors:persistence:journal:postgresql:connection-string", "")]
    [InlineData("mifactors:persistence:snapshot-store:plugin", "sqlite")]
    [InlineData("mifactors:persistence:snapshot-store:sqlite:connection-string", "Data Source=mifactors.db")]
    [InlineData("mifactors:persistence:snapshot-store:postgresql:connection-string", "")]
    public void Reference_conf_holds_the_project_defaults(string key, string expected)
    {
        var config = new ConfigurationBuilder().AddMifActorsReference().Build();
        Assert.Equal(expected, config[key]);
    }

    [Fact]
    public void Every_reference_key_has_a_comment_above_it()
    {
        var lines = Hocon.ReferenceConf.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.EndsWith('{') || line == "}") continue;
            var previous = i > 0 ? lines[i - 1].Trim() : "";
            Assert.True(previous.StartsWith('#'), $"reference.conf line {i + 1} ({line}) has no comment above it");
        }
    }

    [Fact]
    public void Reference_conf_durations_are_valid()
    {
        var config = new ConfigurationBuilder().AddMifActorsReference().Build();
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetDuration("mifactors:actor:ask-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(3), config.GetDuration("mifactors:testkit:single-expect-default"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.GetDuration("mifactors:testkit:expect-no-message-default"));
    }

    [Theory]
    [InlineData("host.conf", "host")]
    [InlineData("lma.conf", "lma")]
    [InlineData("mag.conf", "mag")]
    public void Role_files_include_reference_conf_and_override_their_role_keys(string file, string role)
    {
        var tree = Hocon.ParseFileToJson(Path.Combine(SharedFiles.HoconFolder, file))!;
        var mifactors = tree["mifactors"]!;
        Assert.Equal(role, mifactors["node"]!["roles"]![0]!.GetValue<string>());
        Assert.Equal(role, mifactors["node"]!["name"]!.GetValue<string>());
        Assert.Equal(30, mifactors["actor"]!["throughput"]!.GetValue<long>());
        Assert.Equal($"Data Source={role}.db", mifactors["persistence"]!["journal"]!["sqlite"]!["connection-string"]!.GetValue<string>());

        var config = new ConfigurationBuilder().AddHoconFile(Path.Combine(SharedFiles.HoconFolder, file)).Build();
        Assert.Equal(role, config["mifactors:node:roles:0"]);
    }

    [Fact]
    public void Lma_postgresql_connection_string_comes_from_the_environment_when_set()
    {
        var path = Path.Combine(SharedFiles.HoconFolder, "lma.conf");
        static string Read(string p) =>
            Hocon.ParseFileToJson(p)!["mifactors"]!["persistence"]!["journal"]!["postgresql"]!["connection-string"]!.GetValue<string>();

        Assert.Equal("", Read(path));
        Environment.SetEnvironmentVariable("MIFACTORS_PG", "Host=db;Database=lma");
        try
        {
            Assert.Equal("Host=db;Database=lma", Read(path));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MIFACTORS_PG", null);
        }
    }
}
