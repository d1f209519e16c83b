using Akka.Actor;
using Akka.Configuration;
using MifActors.Mif.Internal;

namespace MifActors.Mif.Network.Linux;

/// <summary>
/// mifactors.mif.linux, read once (hocon/mif.conf has every default, commented). A bad value fails with a
/// <see cref="MifConfigurationException"/> naming the key.
/// </summary>
/// <param name="NetworkNamespace">The namespace file to work in; null for the process's own.</param>
/// <param name="NetlinkReceiveBuffer">Bytes of kernel buffer for rtnetlink events.</param>
/// <param name="Interfaces">What the configuration says about interfaces by name: kind, display name, ignored.</param>
/// <param name="SolicitRouters">Send a router solicitation when starting and when an interface becomes usable.</param>
/// <param name="DnsRouteProtocol">The rtm_protocol our DNS host routes carry, so leftovers can be found.</param>
/// <param name="DnsRouteMetric">The metric of a DNS server's host route through its PvD's interface.</param>
/// <param name="DnsGuardRoutes">Also an unreachable route per server, so a query never falls back to another interface.</param>
/// <param name="LeaseFiles">dhclient lease files (DHCPv4 and DHCPv6) to read DNS servers and leases from.</param>
/// <param name="BringUpOnRequest">Interfaces that WantsToConnect may set administratively up.</param>
public sealed record LinuxNetworkSettings(
    string? NetworkNamespace,
    int NetlinkReceiveBuffer,
    IReadOnlyDictionary<string, LinuxInterfaceSettings> Interfaces,
    bool SolicitRouters,
    byte DnsRouteProtocol,
    uint DnsRouteMetric,
    bool DnsGuardRoutes,
    IReadOnlyList<string> LeaseFiles,
    IReadOnlyList<string> BringUpOnRequest)
{
    /// <summary>The settings of <paramref name="system"/>, with hocon/mif.conf as its fallback.</summary>
    public static LinuxNetworkSettings Get(ActorSystem system)
    {
        system.Settings.InjectTopLevelFallback(MifConfig.Default);
        return From(system.Settings.Config);
    }

    /// <summary>Reads mifactors.mif.linux from <paramref name="config"/>, falling back to hocon/mif.conf for missing keys.</summary>
    public static LinuxNetworkSettings From(Config config)
    {
        var linux = new ConfigReader(config.WithFallback(MifConfig.Default).GetConfig("mifactors.mif.linux"), "mifactors.mif.linux");
        var space = linux.String("network-namespace").Trim();
        var interfaces = linux.Entries("interfaces").ToDictionary(entry => entry.Name, entry => ReadInterface(entry.Name, entry.Reader));

        var routes = linux.Section("dns-routes");
        return new LinuxNetworkSettings(
            space.Length == 0 ? null : space.Contains('/') ? space : $"/var/run/netns/{space}",
            linux.Int("netlink-receive-buffer", 64 * 1024, 1 << 30),
            interfaces,
            linux.Bool("solicit-routers"),
            (byte)routes.Int("protocol", 5, 255),
            (uint)routes.Int("metric", 0, int.MaxValue),
            routes.Bool("guard"),
            linux.Strings("lease-files"),
            linux.Strings("bring-up-on-request"));
    }

    private static LinuxInterfaceSettings ReadInterface(string name, ConfigReader entry)
    {
        InterfaceKind? kind = null;
        if (entry.Has("kind"))
        {
            var text = entry.String("kind");
            kind = Enum.TryParse<InterfaceKind>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new MifConfigurationException(
                    $"{entry.Key("kind")}: expected one of {string.Join(", ", Enum.GetNames<InterfaceKind>()).ToLowerInvariant()}, got \"{text}\"");
        }

        return new LinuxInterfaceSettings(
            name, kind, entry.Has("display-name") ? entry.String("display-name") : null, entry.Has("ignore") && entry.Bool("ignore"));
    }
}

/// <summary>mifactors.mif.linux.interfaces.&lt;name&gt;: what the configuration says about one interface.</summary>
/// <param name="InterfaceName">The interface's name on the host.</param>
/// <param name="Kind">The kind, instead of the guess from the name (wl* Wi-Fi, ww* cellular, tun*/wg* tunnel).</param>
/// <param name="DisplayName">The name for people, instead of "Wi-Fi (wlan0)".</param>
/// <param name="Ignore">Never report the interface.</param>
public sealed record LinuxInterfaceSettings(string InterfaceName, InterfaceKind? Kind, string? DisplayName, bool Ignore);
