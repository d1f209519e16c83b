using System.Net;

namespace MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;

/// <summary>
/// One router advertisement (RFC 4861 §4.2) as a PvD-aware host reads it (RFC 8801 §3.4): when a PvD ID option is
/// present, the options it embeds are merged with the top-level ones, and an RA header it carries (R flag) replaces
/// the top-level header. Lifetimes are in seconds as sent; 0xFFFFFFFF is infinity where the RFCs say so.
/// </summary>
internal sealed record RouterAdvertisement(
    byte CurrentHopLimit,
    bool Managed,
    bool OtherConfiguration,
    RouterPreference Preference,
    ushort RouterLifetime,
    uint ReachableTime,
    uint RetransmitTimer,
    uint? Mtu,
    IReadOnlyList<PrefixInformation> Prefixes,
    IReadOnlyList<RecursiveDnsServers> DnsServers,
    IReadOnlyList<DnsSearchList> SearchLists,
    IReadOnlyList<RouteInformation> Routes,
    Pref64? Nat64Prefix,
    ProvisioningDomainId? ProvisioningDomain)
{
    /// <summary>
    /// The first option the decoder skipped because its content broke its RFC (as those RFCs ask: the option is
    /// ignored, the advertisement is not), for the log; null when every option was read.
    /// </summary>
    public RouterAdvertisementError? SkippedOption { get; init; }
}

/// <summary>Default router preference, RFC 4191 §2.2 (01 high, 00 medium, 11 low; 10 is read as medium).</summary>
internal enum RouterPreference : byte
{
    Medium = 0,
    High = 1,
    Low = 3,
}

/// <summary>Prefix Information option, RFC 4861 §4.6.2.</summary>
internal sealed record PrefixInformation(
    IPAddress Prefix, byte PrefixLength, bool OnLink, bool Autonomous, uint ValidLifetime, uint PreferredLifetime);

/// <summary>Recursive DNS Server option, RFC 8106 §5.1.</summary>
internal sealed record RecursiveDnsServers(uint Lifetime, IReadOnlyList<IPAddress> Servers);

/// <summary>DNS Search List option, RFC 8106 §5.2; names without the trailing dot.</summary>
internal sealed record DnsSearchList(uint Lifetime, IReadOnlyList<string> Domains);

/// <summary>Route Information option, RFC 4191 §2.3.</summary>
internal sealed record RouteInformation(IPAddress Prefix, byte PrefixLength, RouterPreference Preference, uint Lifetime);

/// <summary>PREF64 option, RFC 8781 §4: the NAT64 prefix; the lifetime is in seconds (the option's scaled value × 8).</summary>
internal sealed record Pref64(IPAddress Prefix, byte PrefixLength, uint Lifetime);

/// <summary>
/// PvD ID option, RFC 8801 §3.1: the PvD ID (an FQDN, lower-cased as PvD IDs compare case-insensitively, without
/// the trailing dot), the H (additional information over HTTPS) and L (also provisions IPv4 through DHCPv4) flags,
/// the delay for fetching additional information and the sequence number of that information.
/// </summary>
internal sealed record ProvisioningDomainId(string Fqdn, bool Http, bool Legacy, byte Delay, ushort Sequence);
