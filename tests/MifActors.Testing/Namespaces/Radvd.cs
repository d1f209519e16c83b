using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MifActors.Testing.Namespaces;

/// <summary>What radvd advertises on one interface: the radvd.conf(5) interface block, generated.</summary>
/// <param name="Interface">The interface radvd sends on, inside its namespace.</param>
/// <param name="RouterLifetime">AdvDefaultLifetime in seconds; 0 for a router that is not a default router.</param>
public sealed record RadvdInterface(string Interface, int RouterLifetime = 1800)
{
    /// <summary>Prefix information options (RFC 4861), autonomous and on-link.</summary>
    public IReadOnlyList<RadvdPrefix> Prefixes { get; init; } = [];

    /// <summary>Recursive DNS servers (RFC 8106).</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];

    /// <summary>DNS search list (RFC 8106).</summary>
    public IReadOnlyList<string> SearchDomains { get; init; } = [];

    /// <summary>Route information options (RFC 4191), as prefix/length.</summary>
    public IReadOnlyList<string> Routes { get; init; } = [];

    public int RdnssLifetime { get; init; } = 600;

    /// <summary>AdvDefaultPreference (RFC 4191): high, medium or low.</summary>
    public string DefaultPreference { get; init; } = "medium";

    /// <summary>The radvd.conf text for this interface.</summary>
    public string ToConfiguration()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"interface {Interface} {{\n");
        text.Append("  AdvSendAdvert on;\n  MinRtrAdvInterval 3;\n  MaxRtrAdvInterval 4;\n");
        text.Append(CultureInfo.InvariantCulture, $"  AdvDefaultLifetime {RouterLifetime};\n  AdvDefaultPreference {DefaultPreference};\n");
        foreach (var prefix in Prefixes)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  prefix {prefix.Prefix} {{ AdvOnLink on; AdvAutonomous on; AdvValidLifetime {prefix.ValidLifetime}; AdvPreferredLifetime {prefix.PreferredLifetime}; }};\n");
        }

        if (DnsServers.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"  RDNSS {string.Join(' ', DnsServers)} {{ AdvRDNSSLifetime {RdnssLifetime}; }};\n");
        if (SearchDomains.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"  DNSSL {string.Join(' ', SearchDomains)} {{ AdvDNSSLLifetime {RdnssLifetime}; }};\n");
        foreach (var route in Routes)
            text.Append(CultureInfo.InvariantCulture, $"  route {route} {{ AdvRoutePreference high; AdvRouteLifetime {RdnssLifetime}; }};\n");
        text.Append("};\n");
        return text.ToString();
    }
}

/// <summary>One prefix radvd advertises.</summary>
public sealed record RadvdPrefix(string Prefix, int ValidLifetime = 86400, int PreferredLifetime = 14400);

/// <summary>
/// radvd running in a namespace on one interface, from a generated config file; stopped with SIGTERM on dispose, so
/// that it sends its final advertisement (router lifetime 0, RDNSS and routes withdrawn) as a router going away does.
/// radvd 2.19 cannot send the RFC 8801 PvD ID option; <see cref="RouterAdvertisementSender"/> sends those.
/// </summary>
public sealed class Radvd : IDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly StringBuilder log = new();

    private Radvd(NetworkNamespace space, RadvdInterface configuration)
    {
        directory = Directory.CreateTempSubdirectory("mif-radvd-").FullName;
        var file = System.IO.Path.Combine(directory, "radvd.conf");
        File.WriteAllText(file, configuration.ToConfiguration());
        // radvd sends only where IPv6 forwarding is on (it checks), as a router would have it.
        space.Run(() => NetworkNamespace.WriteSysctl("net/ipv6/conf/all/forwarding", "1"));
        process = space.Start(
            ["radvd", "--nodaemon", "--config", file, "--pidfile", System.IO.Path.Combine(directory, "radvd.pid"), "--logmethod", "stderr", "--debug", "1"],
            line => { lock (log) log.AppendLine(line); });
    }

    /// <summary>Starts radvd for <paramref name="configuration"/> in <paramref name="space"/>, whose interface must exist.</summary>
    public static Radvd Start(NetworkNamespace space, RadvdInterface configuration) => new(space, configuration);

    /// <summary>What radvd printed so far, for a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <summary>Stops radvd the way a router is shut down (SIGTERM): it withdraws what it advertised first.</summary>
    public void Stop()
    {
        if (process.HasExited) return;
        // Process.Kill sends SIGKILL, which skips radvd's farewell advertisement.
        Tool.TryRun("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
