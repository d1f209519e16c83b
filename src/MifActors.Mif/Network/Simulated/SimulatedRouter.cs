using System.Net;

namespace MifActors.Mif.Network.Simulated;

/// <summary>
/// A router on a simulated link and what it advertises (RFC 4861 router advertisements). Lifetimes are as on the
/// wire; null is infinite. Prefixes with <c>Autonomous</c> set give the host an address by SLAAC (the prefix and an
/// interface identifier derived from the interface's name).
/// </summary>
public sealed record SimulatedRouter(IPAddress Router)
{
    public TimeSpan RouterLifetime { get; init; } = TimeSpan.FromSeconds(1800);
    public bool Managed { get; init; }
    public bool OtherConfiguration { get; init; }
    public int? Mtu { get; init; }
    public IReadOnlyList<PrefixInformation> Prefixes { get; init; } = [];
    public IReadOnlyList<RecursiveDnsServers> DnsServers { get; init; } = [];
    public IReadOnlyList<DnsSearchList> SearchLists { get; init; } = [];
    public IReadOnlyList<RouteInformation> Routes { get; init; } = [];
    public ProvisioningDomainOption? ProvisioningDomain { get; init; }
    public Nat64Prefix? Nat64 { get; init; }

    /// <summary>How often it advertises again; null: mifactors.mif.simulated.router-advertisement-interval; zero: once.</summary>
    public TimeSpan? Interval { get; init; }

    public static SimulatedRouter At(string linkLocal) => new(IPAddress.Parse(linkLocal));

    /// <summary>Adds an on-link, autonomous prefix (<c>2001:db8:1::/64</c>) with the given lifetimes.</summary>
    public SimulatedRouter WithPrefix(string prefix, TimeSpan? valid = null, TimeSpan? preferred = null)
    {
        var (address, length) = Parse(prefix);
        return this with
        {
            Prefixes = [.. Prefixes, new PrefixInformation(address, length, OnLink: true, Autonomous: true,
                valid ?? TimeSpan.FromDays(30), preferred ?? valid ?? TimeSpan.FromDays(7))],
        };
    }

    /// <summary>Adds an RDNSS option.</summary>
    public SimulatedRouter WithDnsServers(TimeSpan? lifetime, params IPAddress[] servers) =>
        this with { DnsServers = [.. DnsServers, new RecursiveDnsServers(servers, lifetime ?? TimeSpan.FromSeconds(3600))] };

    /// <summary>Adds an RDNSS option with the default lifetime (one hour).</summary>
    public SimulatedRouter WithDnsServers(params string[] servers) => WithDnsServers(null, servers.Select(IPAddress.Parse).ToArray());

    /// <summary>Adds a DNSSL option.</summary>
    public SimulatedRouter WithSearchDomains(params string[] domains) =>
        this with { SearchLists = [.. SearchLists, new DnsSearchList(domains, TimeSpan.FromSeconds(3600))] };

    /// <summary>Adds an RFC 4191 route information option.</summary>
    public SimulatedRouter WithRoute(string prefix, RoutePreference preference = RoutePreference.Medium, TimeSpan? lifetime = null)
    {
        var (address, length) = Parse(prefix);
        return this with { Routes = [.. Routes, new RouteInformation(address, length, preference, lifetime ?? TimeSpan.FromSeconds(1800))] };
    }

    /// <summary>Adds an RFC 8801 PvD ID option, with what the PvD's additional information says when given.</summary>
    public SimulatedRouter WithPvdId(string pvdId, bool? metered = null, bool? noInternet = null) =>
        this with { ProvisioningDomain = new ProvisioningDomainOption(pvdId, 0, Legacy: false, metered, noInternet) };

    /// <summary>Adds an RFC 8781 PREF64 option (<c>64:ff9b::/96</c>).</summary>
    public SimulatedRouter WithNat64(string prefix, TimeSpan? lifetime = null)
    {
        var (address, length) = Parse(prefix);
        return this with { Nat64 = new Nat64Prefix(address, length, lifetime ?? TimeSpan.FromSeconds(1800)) };
    }

    internal static (IPAddress Address, int Length) Parse(string prefix)
    {
        var network = IPNetwork.Parse(prefix);
        return (network.BaseAddress, network.PrefixLength);
    }
}
