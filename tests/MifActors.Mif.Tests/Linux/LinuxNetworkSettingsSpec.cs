using Akka.Configuration;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Linux;

namespace MifActors.Mif.Tests.Linux;

/// <summary>mifactors.mif.linux in hocon/mif.conf: its defaults, overrides, and errors that name the key.</summary>
public sealed class LinuxNetworkSettingsSpec
{
    private static LinuxNetworkSettings Read(string hocon) => LinuxNetworkSettings.From(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void The_embedded_defaults_are_read_whole()
    {
        var settings = LinuxNetworkSettings.From(ConfigurationFactory.Empty);

        Assert.Null(settings.NetworkNamespace);
        Assert.Equal(4 * 1024 * 1024, settings.NetlinkReceiveBuffer);
        Assert.True(settings.SolicitRouters);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.SlaacAddressWait);
        Assert.Empty(settings.Interfaces);
        Assert.Equal(77, settings.DnsRouteProtocol);
        Assert.Equal(1u, settings.DnsRouteMetric);
        Assert.True(settings.DnsGuardRoutes);
        Assert.Empty(settings.LeaseFiles);
        Assert.Empty(settings.BringUpOnRequest);
    }

    [Fact]
    public void A_namespace_name_means_its_file_under_var_run_netns_and_a_path_is_taken_as_it_is()
    {
        Assert.Equal("/var/run/netns/mn", Read("mifactors.mif.linux.network-namespace = mn").NetworkNamespace);
        Assert.Equal("/proc/1/ns/net", Read("mifactors.mif.linux.network-namespace = \"/proc/1/ns/net\"").NetworkNamespace);
    }

    [Fact]
    public void Interfaces_are_given_a_kind_a_display_name_or_ignored()
    {
        var settings = Read("""
            mifactors.mif.linux.interfaces {
              usb0 { kind = cellular, display-name = "LTE stick" }
              docker0 { ignore = on }
            }
            """);

        Assert.Equal(new LinuxInterfaceSettings("usb0", InterfaceKind.Cellular, "LTE stick", false), settings.Interfaces["usb0"]);
        Assert.True(settings.Interfaces["docker0"].Ignore);
    }

    [Fact]
    public void An_unknown_interface_kind_is_refused_with_the_key_and_the_kinds_there_are()
    {
        var error = Assert.Throws<MifConfigurationException>(() => Read("mifactors.mif.linux.interfaces.usb0.kind = modem"));

        Assert.Equal("mifactors.mif.linux.interfaces.usb0.kind: expected one of ethernet, wifi, cellular, tunnel, loopback, other, got \"modem\"", error.Message);
    }

    [Fact]
    public void A_route_protocol_the_kernel_interprets_is_refused()
    {
        var error = Assert.Throws<MifConfigurationException>(() => Read("mifactors.mif.linux.dns-routes.protocol = 2"));

        Assert.StartsWith("mifactors.mif.linux.dns-routes.protocol: expected a whole number from 5 to 255", error.Message, StringComparison.Ordinal);
    }
}
