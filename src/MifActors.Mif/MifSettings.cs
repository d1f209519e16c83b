using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using MifActors.Mif.Dns;
using MifActors.Mif.Internal;

namespace MifActors.Mif;

/// <summary>The embedded defaults of the host side, hocon/mif.conf.</summary>
public static class MifConfig
{
    /// <summary>hocon/mif.conf as an Akka <see cref="Config"/>.</summary>
    public static Config Default { get; } = ConfigurationFactory.FromResource("MifActors.Mif.conf", typeof(MifConfig).Assembly);
}

/// <summary>Configuration for one interface that the network does not give (mifactors.mif.static-interfaces.&lt;name&gt;).</summary>
public sealed record StaticInterfaceSettings(
    string InterfaceName,
    string? PvdId,
    IReadOnlyList<IPAddress> DnsServers,
    IReadOnlyList<string> SearchDomains,
    IReadOnlyList<string> Routes,
    bool? Metered,
    bool? NoInternet);

/// <summary>mifactors.mif.simulated: the simulated backend's own settings.</summary>
public sealed record SimulatedNetworkSettings(
    IPAddress LoopbackBase, int DnsPort, TimeSpan InitialRto, TimeSpan RouterAdvertisementInterval, int LossSeed);

/// <summary>
/// mifactors.mif, read once. <see cref="Get"/> injects hocon/mif.conf as a top-level fallback first, so a node's
/// configuration only holds what it changes; a bad value fails with a <see cref="MifConfigurationException"/> that
/// names the key.
/// </summary>
public sealed record MifSettings(
    string Backend,
    TimeSpan ConnectTimeout,
    DnsSettings Dns,
    DnsSelectionSettings DnsSelection,
    IReadOnlyDictionary<string, StaticInterfaceSettings> StaticInterfaces,
    SimulatedNetworkSettings Simulated)
{
    /// <summary>The value of mifactors.mif.backend that selects the simulated backend.</summary>
    public const string SimulatedBackend = "simulated";

    /// <summary>The value of mifactors.mif.backend that selects the Linux backend.</summary>
    public const string LinuxBackend = "linux";

    /// <summary>The settings of <paramref name="system"/>, with hocon/mif.conf as its fallback.</summary>
    public static MifSettings Get(ActorSystem system)
    {
        system.Settings.InjectTopLevelFallback(MifConfig.Default);
        return From(system.Settings.Config);
    }

    /// <summary>Reads mifactors.mif from <paramref name="config"/>, falling back to hocon/mif.conf for missing keys.</summary>
    public static MifSettings From(Config config)
    {
        var root = config.WithFallback(MifConfig.Default);
        var mif = new ConfigReader(root.GetConfig("mifactors.mif"), "mifactors.mif");

        var backend = mif.String("backend");
        if (backend is not (SimulatedBackend or LinuxBackend))
        {
            throw new MifConfigurationException($"mifactors.mif.backend: expected simulated or linux, got \"{backend}\"");
        }

        var dns = mif.Section("dns");
        var selection = mif.Section("dns-selection");
        var simulated = mif.Section("simulated");
        var loopbackBase = simulated.Address("loopback-base");
        if (loopbackBase.AddressFamily != AddressFamily.InterNetwork || !IPAddress.IsLoopback(loopbackBase))
        {
            throw new MifConfigurationException(
                $"mifactors.mif.simulated.loopback-base: expected an IPv4 loopback address (127.x.y.z), got \"{loopbackBase}\"");
        }

        return new MifSettings(
            backend,
            mif.Duration("connect-timeout"),
            new DnsSettings(
                dns.Duration("timeout"),
                dns.Int("retries", 0, 100),
                dns.Bool("tcp-fallback"),
                dns.Int("udp-payload-size", 512, 65535),
                dns.Int("max-cname-hops", 0, 64)),
            new DnsSelectionSettings(
                selection.Objects("rules").Select(ReadRule).ToArray(),
                selection.Bool("use-search-domains"),
                selection.Strings("default-interfaces")),
            mif.Entries("static-interfaces").ToDictionary(entry => entry.Name, entry => ReadStatic(entry.Name, entry.Reader)),
            new SimulatedNetworkSettings(
                loopbackBase,
                simulated.Int("dns-port", 0, 65535),
                simulated.Duration("initial-rto"),
                simulated.Duration("router-advertisement-interval"),
                simulated.Int("loss-seed", int.MinValue, int.MaxValue)));
    }

    private static DnsSelectionRule ReadRule(ConfigReader rule)
    {
        var suffix = rule.String("suffix").Trim().TrimEnd('.').ToLowerInvariant();
        var pvd = rule.Has("pvd") ? rule.String("pvd") : null;
        var iface = rule.Has("interface") ? rule.String("interface") : null;
        if ((pvd is null) == (iface is null))
        {
            throw new MifConfigurationException($"{rule.Key("suffix")}: a rule names either a pvd or an interface, not {(pvd is null ? "neither" : "both")}");
        }
        return new DnsSelectionRule(suffix, pvd, iface);
    }

    private static StaticInterfaceSettings ReadStatic(string name, ConfigReader entry) => new(
        name,
        entry.Has("pvd-id") ? entry.String("pvd-id") : null,
        entry.Has("dns-servers") ? entry.Addresses("dns-servers") : [],
        entry.Has("search-domains") ? entry.Strings("search-domains") : [],
        entry.Has("routes") ? entry.Strings("routes") : [],
        entry.Has("metered") ? entry.Bool("metered") : null,
        entry.Has("no-internet") ? entry.Bool("no-internet") : null);
}
