using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Hocon;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Nodes;

public sealed class PmipSettingsTests
{
    [Fact]
    public void The_reference_defaults_bind_to_the_documented_values()
    {
        using var system = ActorSystem.Create("settings");
        var settings = PmipSettings.From(system.Configuration);

        Assert.Equal(5436, settings.UdpPort);
        Assert.Equal(4194304, settings.UdpReceiveBuffer);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.FhrqInitialRetransmit);
        Assert.Equal(5, settings.FhrqMaxTries);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.HeartbeatInterval);
        Assert.Equal(2, settings.HeartbeatMissedLimit);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings.ReplayWindow);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.BindingLifetime);
        Assert.Equal(MobilityHeaderCodecOptions.Default, settings.Codec);
        Assert.Empty(settings.MagAdmittedDscp);
        Assert.Empty(settings.Policy.Classes);
    }

    [Fact]
    public void Policy_profiles_bind_application_classes_and_per_MN_overrides()
    {
        var configuration = new Dictionary<string, string?>(PmipLab.Configuration())
        {
            ["mifactors:pmip:lma:application-classes:voip:protocol"] = "udp",
            ["mifactors:pmip:lma:subscribers:mn2@example.net:www"] = "eutran",
            ["mifactors:pmip:mag:admitted-dscp"] = "0, 46",
        };
        using var system = ActorSystem.Create("policy", new ActorSystemOptions { Configuration = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build() });
        var settings = PmipSettings.From(system.Configuration);
        var policy = settings.Policy;

        var www = policy.Classify(PmipLab.Www, 6, null)!;
        Assert.Equal("www", www.Name);
        Assert.Equal([AccessTechnologyType.Ieee80211, AccessTechnologyType.EUtran], policy.Preference("mn1@example.net", www));
        Assert.Equal([AccessTechnologyType.EUtran], policy.Preference("mn2@example.net", www));
        Assert.Null(policy.Classify(PmipLab.Voip, 6, null));
        Assert.Equal("voip", policy.Classify(PmipLab.Voip, 17, null)!.Name);
        Assert.Equal(new HashSet<int> { 0, 46 }, settings.MagAdmittedDscp);
    }

    [Fact]
    public void Policy_profiles_bind_from_HOCON_arrays()
    {
        var hocon = """
            mifactors.pmip {
              mag.admitted-dscp = [0, 10]
              lma {
                application-classes.www { ports = [80, 443], protocol = tcp, access-technologies = [ieee80211, eutran] }
                subscribers."mn1@example.net".www = [eutran]
              }
            }
            """;
        using var system = ActorSystem.Create("hocon", new ActorSystemOptions { Configuration = new ConfigurationBuilder().AddHoconString(hocon).Build() });
        var settings = PmipSettings.From(system.Configuration);

        var www = Assert.Single(settings.Policy.Classes);
        Assert.Equal(new HashSet<ushort> { 80, 443 }, www.Ports);
        Assert.Equal((byte)6, www.Protocol);
        Assert.Equal([AccessTechnologyType.Ieee80211, AccessTechnologyType.EUtran], www.AccessTechnologies);
        Assert.Equal([AccessTechnologyType.EUtran], settings.Policy.Preference("mn1@example.net", www));
        Assert.Equal(new HashSet<int> { 0, 10 }, settings.MagAdmittedDscp);
    }

    [Fact]
    public void A_malformed_duration_names_the_key_and_the_expected_form()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["mifactors:pmip:fhrq-initial-retransmit"] = "soon" }).Build();
        using var system = ActorSystem.Create("bad", new ActorSystemOptions { Configuration = configuration });

        var error = Assert.Throws<InvalidOperationException>(() => PmipSettings.From(system.Configuration));
        Assert.Equal("configuration key mifactors:pmip:fhrq-initial-retransmit is \"soon\"; expected a duration such as 500ms, 5s or 2m", error.Message);
    }
}
