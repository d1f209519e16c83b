using System.Net;
using Akka.Configuration;
using MifActors.Mif.Dns;

namespace MifActors.Mif.Tests;

/// <summary>mifactors.mif in hocon/mif.conf: its defaults, overrides, and errors that name the key.</summary>
public sealed class SettingsSpec
{
    private static MifSettings Read(string hocon) => MifSettings.From(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void The_embedded_defaults_are_read_whole()
    {
        var settings = MifSettings.From(ConfigurationFactory.Empty);
        Assert.Equal(MifSettings.SimulatedBackend, settings.Backend);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ConnectTimeout);
        Assert.Equal(new DnsSettings(TimeSpan.FromSeconds(2), 2, true, 1232, 8), settings.Dns);
        Assert.Empty(settings.DnsSelection.Rules);
        Assert.True(settings.DnsSelection.UseSearchDomains);
        Assert.Empty(settings.StaticInterfaces);
        Assert.Equal(IPAddress.Parse("127.53.0.1"), settings.Simulated.LoopbackBase);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Simulated.InitialRto);
    }

    [Fact]
    public void Every_key_in_the_defaults_file_has_a_comment()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "mif.conf");
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('}') || !line.Contains('=') && !line.EndsWith('{'))
            {
                continue;
            }
            Assert.True(i > 0 && lines[i - 1].Trim().StartsWith('#'), $"hocon/mif.conf:{i + 1}: \"{line}\" has no comment above it");
        }
    }

    [Fact]
    public void Overrides_static_interfaces_and_selection_rules_are_read()
    {
        var settings = Read("""
            mifactors.mif {
              dns { timeout = 500ms, retries = 0, tcp-fallback = off }
              dns-selection {
                rules = [ { suffix = "Corp.Example.", interface = "tun0" }, { suffix = "example.net", pvd = "pvd.example.net" } ]
                default-interfaces = [ eth0, wlan0 ]
              }
              static-interfaces { tun0 { pvd-id = "vpn.corp.example", dns-servers = ["10.8.0.1"], metered = on } }
            }
            """);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Dns.Timeout);
        Assert.Equal(0, settings.Dns.Retries);
        Assert.False(settings.Dns.TcpFallback);
        Assert.Equal([new DnsSelectionRule("corp.example", null, "tun0"), new DnsSelectionRule("example.net", "pvd.example.net", null)], settings.DnsSelection.Rules);
        Assert.Equal(["eth0", "wlan0"], settings.DnsSelection.DefaultInterfaces);
        var tun0 = settings.StaticInterfaces["tun0"];
        Assert.Equal("vpn.corp.example", tun0.PvdId);
        Assert.Equal([IPAddress.Parse("10.8.0.1")], tun0.DnsServers);
        Assert.True(tun0.Metered);
        Assert.Null(tun0.NoInternet);
    }

    [Theory]
    [InlineData("mifactors.mif.backend = bsd", "mifactors.mif.backend: expected simulated or linux, got \"bsd\"")]
    [InlineData("mifactors.mif.connect-timeout = soon", "mifactors.mif.connect-timeout: expected a duration (500ms, 2s, 1m), got \"soon\"")]
    [InlineData("mifactors.mif.dns.retries = -1", "mifactors.mif.dns.retries: expected a whole number from 0 to 100, got \"-1\"")]
    [InlineData("mifactors.mif.dns.tcp-fallback = maybe", "mifactors.mif.dns.tcp-fallback: expected on or off, got \"maybe\"")]
    [InlineData("mifactors.mif.dns-selection.rules = [ { suffix = x } ]", "mifactors.mif.dns-selection.rules[0].suffix: a rule names either a pvd or an interface, not neither")]
    [InlineData("mifactors.mif.dns-selection.default-interfaces = eth0", "mifactors.mif.dns-selection.default-interfaces: expected a list of strings")]
    [InlineData("mifactors.mif.static-interfaces.tun0.dns-servers = [\"10.8.0.x\"]", "mifactors.mif.static-interfaces.tun0.dns-servers[0]: expected an IP address, got \"10.8.0.x\"")]
    [InlineData("mifactors.mif.simulated.loopback-base = \"10.0.0.1\"", "mifactors.mif.simulated.loopback-base: expected an IPv4 loopback address (127.x.y.z), got \"10.0.0.1\"")]
    public void A_bad_value_fails_with_a_sentence_that_names_the_key(string hocon, string expected)
    {
        var error = Assert.Throws<MifConfigurationException>(() => Read(hocon));
        Assert.StartsWith(expected, error.Message);
    }
}
