using Akka.Actor;
using Akka.Configuration;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary><c>mifactors.pmip</c> read once from Akka HOCON, <c>hocon/pmip.conf</c> underneath, errors naming the key.</summary>
public sealed class PmipSettingsTests
{
    [Fact]
    public void The_embedded_defaults_bind_to_the_documented_values()
    {
        var settings = PmipSettings.From(PmipConfig.Default);

        Assert.Equal(MobilityTransportKind.Udp, settings.Transport);
        Assert.Equal(5436, settings.UdpPort);
        Assert.Equal(4194304, settings.UdpReceiveBuffer);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.FhrqInitialRetransmit);
        Assert.Equal(5, settings.FhrqMaxTries);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.HeartbeatInterval);
        Assert.Equal(2, settings.HeartbeatMissedLimit);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings.ReplayWindow);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.BindingLifetime);
        Assert.Equal(100, settings.SnapshotAfterEvents);
        Assert.Equal("akka.persistence.query.journal.sql", settings.QueryPlugin);
        Assert.Equal(MobilityHeaderCodecOptions.Default, settings.Codec);
        Assert.Empty(settings.MagAdmittedDscp);
        Assert.Empty(settings.Policy.Classes);
    }

    [Fact]
    public void A_system_reads_its_own_configuration_over_the_defaults_and_keeps_the_SQL_journal_settings_above_Akka_s_own_defaults()
    {
        using var system = ActorSystem.Create("settings", ConfigurationFactory.ParseString("mifactors.pmip.fhrq-max-tries = 7"));
        var settings = PmipSettings.Get(system);

        Assert.Equal(7, settings.FhrqMaxTries);
        Assert.Equal(5436, settings.UdpPort);
        // Akka.Persistence and Akka.Persistence.Sql inject their defaults (an in-memory journal, empty connection
        // strings) when they start; ours stay above them.
        var config = system.Settings.Config;
        Assert.Equal("akka.persistence.journal.sql", settings.JournalPlugin);
        Assert.Equal("akka.persistence.snapshot-store.sql", settings.SnapshotPlugin);
        Assert.Equal("Data Source=mifactors.db", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.query.journal.sql.provider-name"));
        Assert.Equal("pmip", config.GetString("akka.actor.serialization-bindings.\"MifActors.Pmip.Persistence.IPmipPersistent, MifActors.Pmip\""));
    }

    [Fact]
    public void Policy_profiles_bind_application_classes_protocols_and_per_MN_overrides()
    {
        var config = ConfigurationFactory.ParseString("""
            mifactors.pmip {
              mag.admitted-dscp = [0, 46]
              lma {
                application-classes.voip.protocol = udp
                subscribers."mn2@example.net".www = [eutran]
              }
            }
            """).WithFallback(ConfigurationFactory.ParseString(PmipTestConfig.Policy)).WithFallback(PmipConfig.Default);
        var settings = PmipSettings.From(config);
        var policy = settings.Policy;

        var www = policy.Classify(PmipLab.Www, 6, null)!;
        Assert.Equal("www", www.Name);
        Assert.Equal(new HashSet<ushort> { 80, 443 }, www.Ports);
        Assert.Equal([AccessTechnologyType.Ieee80211, AccessTechnologyType.EUtran], policy.Preference("mn1@example.net", www));
        Assert.Equal([AccessTechnologyType.EUtran], policy.Preference("mn2@example.net", www));
        Assert.Null(policy.Classify(PmipLab.Voip, 6, null));
        Assert.Equal("voip", policy.Classify(PmipLab.Voip, 17, null)!.Name);
        Assert.Equal(new HashSet<int> { 0, 46 }, settings.MagAdmittedDscp);
    }

    [Fact]
    public void The_role_files_parse_over_the_defaults()
    {
        foreach (var role in new[] { "lma", "mag" })
        {
            var file = Path.Combine(RepositoryRoot(), "hocon", role + ".conf");
            var config = ConfigurationFactory.ParseString(File.ReadAllText(file)).WithFallback(PmipConfig.Default);

            var settings = PmipSettings.From(config);
            Assert.Equal($"Data Source={role}.db", config.GetString("akka.persistence.journal.sql.connection-string"));
            Assert.Equal($"Data Source={role}.db", config.GetString("akka.persistence.query.journal.sql.connection-string"));
            if (role == "lma") Assert.Equal(["www", "voip"], settings.Policy.Classes.Select(c => c.Name));
        }
    }

    [Theory]
    [InlineData("fhrq-initial-retransmit = soon", "mifactors.pmip.fhrq-initial-retransmit: expected a duration such as 500ms, 5s or 2m, got \"soon\"")]
    [InlineData("udp-port = abc", "mifactors.pmip.udp-port: expected a port number (0-65535; 0 picks a free one), got \"abc\"")]
    [InlineData("transport = tcp", "mifactors.pmip.transport: expected udp or raw-ipv6, got \"tcp\"")]
    [InlineData("heartbeat-interval = 0s", "mifactors.pmip.heartbeat-interval: expected a duration longer than zero, got \"0s\"")]
    [InlineData("mag.admitted-dscp = [0, 99]", "mifactors.pmip.mag.admitted-dscp: expected DSCPs from 0 to 63, got \"99\"")]
    [InlineData("lma.application-classes.www.access-technologies = [carrier-pigeon]", "mifactors.pmip.lma.application-classes.www.access-technologies: expected access technology names")]
    public void A_malformed_setting_names_the_key_the_expectation_and_the_value(string setting, string message)
    {
        var config = ConfigurationFactory.ParseString("mifactors.pmip." + setting).WithFallback(PmipConfig.Default);

        var error = Assert.Throws<InvalidOperationException>(() => PmipSettings.From(config));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_is_named_with_where_its_default_belongs()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PmipSettings.From(ConfigurationFactory.ParseString("mifactors.pmip.transport = udp")));
        Assert.Equal("mifactors.pmip.udp-port: missing (its default belongs in hocon/pmip.conf)", error.Message);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MifActors.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("the tests run outside the repository: MifActors.sln not found above " + AppContext.BaseDirectory);
    }
}
