using System.Net;
using MifActors.Mif.Api;

namespace MifActors.Mif.Network;

// What a backend tells its observer (INetworkBackend.Watch), and the state it reports.
//
// A backend reports facts as it sees them, with the instant it saw them and the lifetimes it was given (a router
// advertisement's lifetimes are relative to its arrival, an address's to the moment the kernel reported it). The host
// turns them into provisioning domains and expires them on the actor system's scheduler; a backend need not remove a
// fact whose lifetime is over (the kernel removes addresses; nobody removes a router advertisement).
// All instants come from the actor system's scheduler clock (IScheduler.Now), which is virtual in tests.

/// <summary>Every interface as it is when watching starts.</summary>
public sealed record NetworkObserved(IReadOnlyList<InterfaceState> Interfaces);

/// <summary>An interface appeared or changed; the full state replaces the previous one.</summary>
public sealed record InterfaceObserved(InterfaceState State);

/// <summary>An interface is gone (unplugged, a tunnel deleted).</summary>
public sealed record InterfaceRemoved(string InterfaceName);

/// <summary>The system intends to take an interface up or down (draft section 3.2.7.26.4 and .5).</summary>
public sealed record InterfaceIntentObserved(string InterfaceName, InterfaceIntent Intent);

public enum InterfaceIntent
{
    GoingUp,
    GoingAway,
}

/// <summary>What kind of link an interface is; for people and for policies (HE-MIF's "Wi-Fi is preferable").</summary>
public enum InterfaceKind
{
    Ethernet,
    Wifi,
    Cellular,
    /// <summary>A VPN or other tunnel.</summary>
    Tunnel,
    Loopback,
    Other,
}

/// <summary>
/// One interface as a backend sees it. <c>Name</c> is the interface's name on the host (<c>wlan0</c>) and its
/// identifier in the MIF API; <c>DisplayName</c> is for people (<c>Wi-Fi (wlan0)</c>). It is usable (announced, with
/// provisioning domains) while it is <c>Up</c> (administratively) and <c>Running</c> (carrier / lower layer up).
/// <c>Addresses</c> holds every address on it, link-local ones included; <c>RouterAdvertisements</c> the latest
/// advertisement of each router heard on the link; <c>Routes</c> the routes through it from the routing table.
/// </summary>
public sealed record InterfaceState(
    string Name,
    string DisplayName,
    InterfaceKind Kind,
    bool Up,
    bool Running,
    IReadOnlyList<ObservedAddress> Addresses,
    IReadOnlyList<RouterAdvertisement> RouterAdvertisements,
    Dhcpv4Lease? Dhcpv4,
    Dhcpv6Information? Dhcpv6,
    IReadOnlyList<ObservedRoute> Routes)
{
    public bool Usable => Up && Running;

    /// <summary>An interface with no configuration yet.</summary>
    public static InterfaceState Empty(string name, string displayName, InterfaceKind kind, bool up = true, bool running = true) =>
        new(name, displayName, kind, up, running, [], [], null, null, []);
}

/// <summary>
/// An address on an interface. Lifetimes are relative to <paramref name="ObservedAt"/>; null is infinite (a
/// permanent address). Which provisioning domain it belongs to follows from the prefixes and leases on the link.
/// </summary>
public sealed record ObservedAddress(
    IPAddress Address, int PrefixLength, DateTimeOffset ObservedAt, TimeSpan? ValidLifetime, TimeSpan? PreferredLifetime)
{
    public DateTimeOffset? ValidUntil => ObservedAt + ValidLifetime;
    public DateTimeOffset? PreferredUntil => ObservedAt + PreferredLifetime;
}

/// <summary>
/// A router advertisement (RFC 4861 section 4.2) from <c>Router</c> (a link-local address) with the options the MIF
/// API uses. Lifetimes are relative to <c>ReceivedAt</c>; null is infinite (0xffffffff on the wire). A zero
/// <c>RouterLifetime</c> means not a default router; <c>Managed</c> and <c>OtherConfiguration</c> are the M and O
/// flags (addresses, other configuration from DHCPv6); <c>ProvisioningDomain</c> is the RFC 8801 PvD ID option and
/// <c>Nat64</c> the RFC 8781 PREF64 option, when the router sends them.
/// </summary>
public sealed record RouterAdvertisement(
    IPAddress Router,
    DateTimeOffset ReceivedAt,
    TimeSpan RouterLifetime,
    bool Managed,
    bool OtherConfiguration,
    int? Mtu,
    IReadOnlyList<PrefixInformation> Prefixes,
    IReadOnlyList<RecursiveDnsServers> DnsServers,
    IReadOnlyList<DnsSearchList> SearchLists,
    IReadOnlyList<RouteInformation> Routes,
    ProvisioningDomainOption? ProvisioningDomain = null,
    Nat64Prefix? Nat64 = null);

/// <summary>RFC 4861 section 4.6.2 prefix information.</summary>
public sealed record PrefixInformation(
    IPAddress Prefix, int Length, bool OnLink, bool Autonomous, TimeSpan? ValidLifetime, TimeSpan? PreferredLifetime);

/// <summary>RFC 8106 RDNSS option.</summary>
public sealed record RecursiveDnsServers(IReadOnlyList<IPAddress> Servers, TimeSpan? Lifetime);

/// <summary>RFC 8106 DNSSL option.</summary>
public sealed record DnsSearchList(IReadOnlyList<string> Domains, TimeSpan? Lifetime);

public enum RoutePreference
{
    Low,
    Medium,
    High,
}

/// <summary>RFC 4191 route information option: a more-specific route through the advertising router.</summary>
public sealed record RouteInformation(IPAddress Prefix, int Length, RoutePreference Preference, TimeSpan? Lifetime);

/// <summary>
/// RFC 8801 PvD ID option. <paramref name="Metered"/> and <paramref name="NoInternet"/> come from the PvD's
/// additional information (RFC 8801 section 4.3) when the backend fetched it or the simulation says so; null when unknown.
/// </summary>
public sealed record ProvisioningDomainOption(string PvdId, int SequenceNumber, bool Legacy, bool? Metered = null, bool? NoInternet = null);

/// <summary>RFC 8781 PREF64 option.</summary>
public sealed record Nat64Prefix(IPAddress Prefix, int Length, TimeSpan Lifetime);

/// <summary>A DHCPv4 lease (RFC 2131): the address comes with it, valid for <paramref name="LeaseTime"/> from <paramref name="ObtainedAt"/>.</summary>
public sealed record Dhcpv4Lease(
    IPAddress Server,
    IPAddress Address,
    int PrefixLength,
    DateTimeOffset ObtainedAt,
    TimeSpan LeaseTime,
    IPAddress? Router,
    IReadOnlyList<IPAddress> DnsServers,
    IReadOnlyList<string> SearchDomains,
    int? Mtu = null)
{
    public DateTimeOffset ValidUntil => ObtainedAt + LeaseTime;
}

/// <summary>
/// What a DHCPv6 exchange (RFC 8415) gave besides addresses (those are <see cref="ObservedAddress"/>es).
/// <paramref name="Lifetime"/> is the information refresh time or the longest IA lifetime; null is infinite.
/// </summary>
public sealed record Dhcpv6Information(
    IPAddress Server, DateTimeOffset ObtainedAt, TimeSpan? Lifetime, IReadOnlyList<IPAddress> DnsServers, IReadOnlyList<string> SearchDomains)
{
    public DateTimeOffset? ValidUntil => ObtainedAt + Lifetime;
}

/// <summary>A route through an interface from the routing table; <paramref name="Gateway"/> is null for an on-link route.</summary>
public sealed record ObservedRoute(IPAddress Destination, int PrefixLength, IPAddress? Gateway, int Metric);

// --- connections -----------------------------------------------------------------------------------------------------

/// <summary>One TCP connection attempt from a source address of a PvD, bound to the PvD's interface.</summary>
public sealed record ConnectAttempt(string InterfaceName, string PvdId, IPAddress Source, IPEndPoint Destination);

/// <summary>How a <see cref="ConnectAttempt"/> ended.</summary>
public abstract record ConnectOutcome;

/// <summary>
/// The connection is open. <paramref name="Stream"/> is the caller's to use and to dispose; the endpoints are those
/// the network sees (for the simulated network, the simulated addresses, not the loopback sockets carrying the bytes).
/// </summary>
public sealed record ConnectSucceeded(Stream Stream, IPEndPoint Local, IPEndPoint Remote) : ConnectOutcome;

/// <summary>The connection could not be opened; <paramref name="Message"/> says what the network did.</summary>
public sealed record ConnectFailed(ConnectionFailure Reason, string Message) : ConnectOutcome;

// --- DNS -------------------------------------------------------------------------------------------------------------

/// <summary>
/// Where a PvD's DNS queries go: its servers, in the order the network gave them, reached through
/// <paramref name="InterfaceName"/> from one of <paramref name="SourceAddresses"/>.
/// </summary>
public sealed record DnsPath(string InterfaceName, string PvdId, IReadOnlyList<IPAddress> Servers, IReadOnlyList<IPAddress> SourceAddresses);
