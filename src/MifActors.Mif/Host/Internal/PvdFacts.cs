using System.Globalization;
using System.Net;
using MifActors.Mif.Api;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host.Internal;

/// <summary>The facts one PvD is made of: its configuration elements (their sources) and its addresses.</summary>
internal sealed record PvdFacts(string InterfaceName, string PvdId, IReadOnlyList<ElementFacts> Elements, IReadOnlyList<ObservedAddress> Addresses);

/// <summary>
/// One configuration element with the facts behind it, which know their lifetimes: the element is valid until
/// <see cref="ValidUntil"/> (null: for ever), and its data changes at each of <see cref="Deadlines"/>.
/// </summary>
internal abstract record ElementFacts(ConfigurationElementType Type)
{
    public abstract DateTimeOffset? ValidUntil { get; }

    public abstract IEnumerable<DateTimeOffset> Deadlines { get; }

    /// <summary>The values for <paramref name="identifier"/> valid at <paramref name="now"/>; empty when there are none.</summary>
    public abstract IReadOnlyList<string> Data(ConfigurationInformation identifier, DateTimeOffset now);

    public abstract IEnumerable<IPAddress> DnsServers(DateTimeOffset now);

    public bool ValidAt(DateTimeOffset now) => Lifetimes.Valid(ValidUntil, now);

    protected static IReadOnlyList<string> Flag(bool? value) => value is { } v ? [v ? "true" : "false"] : [];
}

/// <summary>The router advertisements of one PvD (one router for an implicit PvD, every router sending its PvD ID otherwise).</summary>
internal sealed record RaElementFacts(IReadOnlyList<RouterAdvertisement> Advertisements) : ElementFacts(ConfigurationElementType.Ra)
{
    public override DateTimeOffset? ValidUntil => Lifetimes.Latest(Advertisements.Select(ValidUntilOf));

    public override IEnumerable<DateTimeOffset> Deadlines => Advertisements.SelectMany(DeadlinesOf);

    /// <summary>
    /// An advertisement counts while anything in it does: its default route, a prefix, DNS data, a route, a NAT64
    /// prefix. A router that sends zero lifetimes everywhere is saying goodbye.
    /// </summary>
    public static DateTimeOffset? ValidUntilOf(RouterAdvertisement ra)
    {
        var lifetimes = new List<TimeSpan?>();
        if (ra.RouterLifetime > TimeSpan.Zero)
        {
            lifetimes.Add(ra.RouterLifetime);
        }
        lifetimes.AddRange(ra.Prefixes.Select(p => p.ValidLifetime));
        lifetimes.AddRange(ra.DnsServers.Select(d => d.Lifetime));
        lifetimes.AddRange(ra.SearchLists.Select(d => d.Lifetime));
        lifetimes.AddRange(ra.Routes.Select(r => r.Lifetime));
        if (ra.Nat64 is { } nat64)
        {
            lifetimes.Add(nat64.Lifetime);
        }
        return lifetimes.Count == 0 ? ra.ReceivedAt : Lifetimes.Latest(lifetimes.Select(l => ra.ReceivedAt + l));
    }

    private static IEnumerable<DateTimeOffset> DeadlinesOf(RouterAdvertisement ra)
    {
        var at = ra.ReceivedAt;
        IEnumerable<DateTimeOffset?> all =
        [
            at + ra.RouterLifetime,
            .. ra.Prefixes.Select(p => at + p.ValidLifetime),
            .. ra.DnsServers.Select(d => at + d.Lifetime),
            .. ra.SearchLists.Select(d => at + d.Lifetime),
            .. ra.Routes.Select(r => at + r.Lifetime),
            at + ra.Nat64?.Lifetime,
        ];
        return all.OfType<DateTimeOffset>();
    }

    public override IEnumerable<IPAddress> DnsServers(DateTimeOffset now) =>
        Advertisements.SelectMany(ra => ra.DnsServers.Where(d => Lifetimes.Valid(ra.ReceivedAt + d.Lifetime, now)).SelectMany(d => d.Servers)).Distinct();

    public override IReadOnlyList<string> Data(ConfigurationInformation identifier, DateTimeOffset now) => identifier switch
    {
        ConfigurationInformation.DnsServers => DnsServers(now).Select(a => a.ToString()).ToArray(),
        ConfigurationInformation.SearchDomains => Advertisements
            .SelectMany(ra => ra.SearchLists.Where(d => Lifetimes.Valid(ra.ReceivedAt + d.Lifetime, now)).SelectMany(d => d.Domains))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
        ConfigurationInformation.Prefixes => Advertisements
            .SelectMany(ra => ra.Prefixes.Where(p => Lifetimes.Valid(ra.ReceivedAt + p.ValidLifetime, now)).Select(p => $"{p.Prefix}/{p.Length}"))
            .Distinct().ToArray(),
        ConfigurationInformation.Routes => Advertisements
            .SelectMany(ra => ra.Routes.Where(r => Lifetimes.Valid(ra.ReceivedAt + r.Lifetime, now)).Select(r => $"{r.Prefix}/{r.Length} via {ra.Router}"))
            .Distinct().ToArray(),
        ConfigurationInformation.DefaultRouters => Advertisements
            .Where(ra => ra.RouterLifetime > TimeSpan.Zero && ra.ReceivedAt + ra.RouterLifetime > now).Select(ra => ra.Router.ToString()).ToArray(),
        ConfigurationInformation.Mtu => Advertisements.Select(ra => ra.Mtu).OfType<int>().Take(1).Select(m => m.ToString(CultureInfo.InvariantCulture)).ToArray(),
        ConfigurationInformation.Nat64Prefix => Advertisements
            .Where(ra => ra.Nat64 is { } n && ra.ReceivedAt + n.Lifetime > now).Select(ra => $"{ra.Nat64!.Prefix}/{ra.Nat64.Length}").Take(1).ToArray(),
        ConfigurationInformation.Metered => Flag(Advertisements.Select(ra => ra.ProvisioningDomain?.Metered).FirstOrDefault(m => m is not null)),
        ConfigurationInformation.NoInternet => Flag(Advertisements.Select(ra => ra.ProvisioningDomain?.NoInternet).FirstOrDefault(m => m is not null)),
        _ => [],
    };
}

/// <summary>What DHCPv6 gave besides addresses.</summary>
internal sealed record Dhcpv6ElementFacts(Dhcpv6Information Information) : ElementFacts(ConfigurationElementType.Dhcpv6)
{
    public override DateTimeOffset? ValidUntil => Information.ValidUntil;

    public override IEnumerable<DateTimeOffset> Deadlines => Information.ValidUntil is { } until ? [until] : [];

    public override IEnumerable<IPAddress> DnsServers(DateTimeOffset now) => Information.DnsServers;

    public override IReadOnlyList<string> Data(ConfigurationInformation identifier, DateTimeOffset now) => identifier switch
    {
        ConfigurationInformation.DnsServers => Information.DnsServers.Select(a => a.ToString()).ToArray(),
        ConfigurationInformation.SearchDomains => Information.SearchDomains,
        _ => [],
    };
}

/// <summary>A DHCPv4 lease.</summary>
internal sealed record Dhcpv4ElementFacts(Dhcpv4Lease Lease) : ElementFacts(ConfigurationElementType.Dhcpv4)
{
    public override DateTimeOffset? ValidUntil => Lease.ValidUntil;

    public override IEnumerable<DateTimeOffset> Deadlines => [Lease.ValidUntil];

    public override IEnumerable<IPAddress> DnsServers(DateTimeOffset now) => Lease.DnsServers;

    public override IReadOnlyList<string> Data(ConfigurationInformation identifier, DateTimeOffset now) => identifier switch
    {
        ConfigurationInformation.DnsServers => Lease.DnsServers.Select(a => a.ToString()).ToArray(),
        ConfigurationInformation.SearchDomains => Lease.SearchDomains,
        ConfigurationInformation.Prefixes => [$"{Prefixes.Network(Lease.Address, Lease.PrefixLength)}/{Lease.PrefixLength}"],
        ConfigurationInformation.DefaultRouters => Lease.Router is { } router ? [router.ToString()] : [],
        ConfigurationInformation.Mtu => Lease.Mtu is { } mtu ? [mtu.ToString(CultureInfo.InvariantCulture)] : [],
        _ => [],
    };
}

/// <summary>
/// Configuration the network does not give: mifactors.mif.static-interfaces for the interface, and the prefixes of
/// addresses no router or lease accounts for. Never expires.
/// </summary>
internal sealed record StaticElementFacts(StaticInterfaceSettings? Settings, IReadOnlyList<ObservedAddress> Addresses)
    : ElementFacts(ConfigurationElementType.Static)
{
    public override DateTimeOffset? ValidUntil => null;

    public override IEnumerable<DateTimeOffset> Deadlines => [];

    public override IEnumerable<IPAddress> DnsServers(DateTimeOffset now) => Settings?.DnsServers ?? [];

    public override IReadOnlyList<string> Data(ConfigurationInformation identifier, DateTimeOffset now) => identifier switch
    {
        ConfigurationInformation.DnsServers => DnsServers(now).Select(a => a.ToString()).ToArray(),
        ConfigurationInformation.SearchDomains => Settings?.SearchDomains ?? [],
        ConfigurationInformation.Routes => Settings?.Routes ?? [],
        ConfigurationInformation.Prefixes => Addresses.Select(a => $"{Prefixes.Network(a.Address, a.PrefixLength)}/{a.PrefixLength}").Distinct().ToArray(),
        ConfigurationInformation.Metered => Flag(Settings?.Metered),
        ConfigurationInformation.NoInternet => Flag(Settings?.NoInternet),
        _ => [],
    };

    // Records compare lists by reference; two static elements from equal settings are the same element.
    public bool Equals(StaticElementFacts? other) =>
        other is not null && Equals(Settings, other.Settings) && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(Settings?.InterfaceName, Addresses.Count);
}

/// <summary>Deadlines where null means "never".</summary>
internal static class Lifetimes
{
    public static bool Valid(DateTimeOffset? until, DateTimeOffset now) => until is null || until > now;

    public static DateTimeOffset? Latest(IEnumerable<DateTimeOffset?> deadlines)
    {
        DateTimeOffset? latest = DateTimeOffset.MinValue;
        foreach (var deadline in deadlines)
        {
            if (deadline is null)
            {
                return null;
            }
            if (deadline > latest)
            {
                latest = deadline;
            }
        }
        return latest;
    }

    /// <summary>What remains of a lifetime at <paramref name="now"/>; null stays null (infinite).</summary>
    public static TimeSpan? Remaining(DateTimeOffset? until, DateTimeOffset now) =>
        until is { } u ? (u > now ? u - now : TimeSpan.Zero) : null;
}

/// <summary>Prefix arithmetic on top of <see cref="IPNetwork"/>, which wants a base address without host bits.</summary>
internal static class Prefixes
{
    public static IPAddress Network(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPAddress(bytes);
    }

    public static bool Contains(IPAddress prefix, int length, IPAddress address) =>
        prefix.AddressFamily == address.AddressFamily && new IPNetwork(Network(prefix, length), length).Contains(address);

    /// <summary>How many leading bits two addresses of one family share (RFC 6724 CommonPrefixLen).</summary>
    public static int CommonLength(IPAddress a, IPAddress b)
    {
        var x = a.GetAddressBytes();
        var y = b.GetAddressBytes();
        var bits = 0;
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var diff = x[i] ^ y[i];
            if (diff == 0)
            {
                bits += 8;
                continue;
            }
            return bits + System.Numerics.BitOperations.LeadingZeroCount((uint)diff) - 24;
        }
        return bits;
    }

    /// <summary>Addresses that never belong to a PvD: link-local, loopback, multicast, unspecified.</summary>
    public static bool Scoped(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.IsIPv6SiteLocal
        || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
        || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && (Contains(IPAddress.Parse("169.254.0.0"), 16, address) || Contains(IPAddress.Parse("224.0.0.0"), 4, address)));
}
