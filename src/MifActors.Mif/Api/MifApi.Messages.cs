using System.Net;
using System.Text.Json.Serialization;

namespace MifActors.Mif.Api;

// The MIF API message set of draft-ietf-mif-api-extension-05 section 3.2.7, as records.
//
// Every request goes to the host agent (/user/host) with the subscriber as Sender; every announcement and reply
// comes back to that sender, in the draft's order (docs/mif-api.md, "The subscriber contract").
//
// The records are also the JSON-lines wire format (record name as "type", properties camelCase), so properties are
// kept to strings, IPAddress, numbers, enums, TimeSpan and lists of strings. Identifiers the subscriber chooses
// (translation and connection ids) are strings so that any client can use its own scheme.

/// <summary>A message from a subscriber to the MIF API (draft section 3.2.7: "from the subscriber to the MIF API").</summary>
public interface IToMifApi;

/// <summary>A message from the MIF API to a subscriber: an announcement or a reply.</summary>
public interface IFromMifApi;

/// <summary>The kind of a configuration element (section 3.2.7.10: "Config Element RA, DHCPv6, DHCPv4 etc.").</summary>
public enum ConfigurationElementType
{
    /// <summary>Router advertisements of one router (RFC 4861): prefixes, RDNSS/DNSSL (RFC 8106), routes (RFC 4191), PvD ID (RFC 8801).</summary>
    Ra,
    /// <summary>A DHCPv6 exchange (RFC 8415): DNS servers and search list.</summary>
    Dhcpv6,
    /// <summary>A DHCPv4 lease (RFC 2131): address, router, DNS servers, domain.</summary>
    Dhcpv4,
    /// <summary>Configuration given to the host statically (mifactors.mif.static-interfaces, or the backend's own).</summary>
    Static,
}

/// <summary>
/// What a <see cref="GetConfigurationData"/> asks for: the draft's "Configuration Information Identifier"
/// (section 3.2.7.17, "DNS Server List etc.").
/// </summary>
public enum ConfigurationInformation
{
    /// <summary>Recursive DNS servers (RA RDNSS, DHCPv6 option 23, DHCPv4 option 6, static).</summary>
    DnsServers,
    /// <summary>DNS search domains (RA DNSSL, DHCPv6 option 24, DHCPv4 option 15/119, static).</summary>
    SearchDomains,
    /// <summary>On-link and autoconfiguration prefixes, as "prefix/length".</summary>
    Prefixes,
    /// <summary>More-specific routes (RFC 4191 route information; static routes), as "prefix/length via gateway".</summary>
    Routes,
    /// <summary>Default routers (RA source with a non-zero router lifetime; DHCPv4 option 3).</summary>
    DefaultRouters,
    /// <summary>The link MTU (RA MTU option; DHCPv4 option 26).</summary>
    Mtu,
    /// <summary>The NAT64 prefix (RFC 8781 PREF64 option), on IPv6-only networks.</summary>
    Nat64Prefix,
    /// <summary>"true" when the PvD says its traffic is billed (RFC 8801 additional information "metered", or static).</summary>
    Metered,
    /// <summary>"true" when the PvD says it gives no Internet access (RFC 8801 "noInternet", or static).</summary>
    NoInternet,
}

/// <summary>Why a <see cref="TranslateName"/> gave no (more) addresses.</summary>
public enum NameTranslationFailure
{
    /// <summary>The PvD's servers say the name does not exist (NXDOMAIN), or it has no A/AAAA records.</summary>
    NameNotFound,
    /// <summary>The PvD's servers answered with SERVFAIL, REFUSED or another error code.</summary>
    ServerFailure,
    /// <summary>No answer came from the PvD's servers within the configured timeout and retries.</summary>
    TimedOut,
    /// <summary>The PvD has no DNS servers to ask.</summary>
    NoDnsServers,
    /// <summary>No such PvD is known (or none was named and none was selected with <see cref="ConnectToPvd"/>).</summary>
    UnknownPvd,
    /// <summary>The PvD went away while the translation was running.</summary>
    PvdGone,
}

/// <summary>What went wrong with a connection (section 3.2.7.25, "an indication as to what went wrong").</summary>
public enum ConnectionFailure
{
    /// <summary>The destination answered with a reset (or ICMP port unreachable).</summary>
    Refused,
    /// <summary>No answer came within mifactors.mif.connect-timeout (a black hole, a lossy link).</summary>
    TimedOut,
    /// <summary>No route to the destination from the PvD (ICMP unreachable, or no route at all).</summary>
    Unreachable,
    /// <summary>The PvD has no address usable as a source for the destination's family (or the given source is not the PvD's).</summary>
    NoSourceAddress,
    /// <summary>No such PvD is known (or none was named and none was selected with <see cref="ConnectToPvd"/>).</summary>
    UnknownPvd,
    /// <summary>The interface or PvD went away before the connection was established.</summary>
    PvdGone,
}

// --- 3.2.7.1 - 3.2.7.4: interfaces ---------------------------------------------------------------------------------

/// <summary>Section 3.2.7.1: announce every known interface, then every new one and every one that goes away.</summary>
public sealed record AnnounceInterfaces : IToMifApi;

/// <summary>Section 3.2.7.2: no more Interface or No Interface announcements to this subscriber.</summary>
public sealed record StopAnnouncingInterfaces : IToMifApi;

/// <summary>
/// Section 3.2.7.3: an interface exists. The draft names "a display name and interface identifier"; the identifier
/// comes first here as in every other announcement. The identifier is the interface's name on the host
/// (<c>wlan0</c>); the display name is for people (<c>Wi-Fi (wlan0)</c>).
/// </summary>
public sealed record InterfaceAnnouncement(string InterfaceId, string DisplayName) : IFromMifApi;

/// <summary>Section 3.2.7.4: a previously announced interface is gone.</summary>
public sealed record NoInterfaceAnnouncement(string InterfaceId) : IFromMifApi;

// --- 3.2.7.5 - 3.2.7.8: provisioning domains -----------------------------------------------------------------------

/// <summary>
/// Section 3.2.7.5: announce the PvDs on one interface, then new and vanished ones. The subscription ends by itself
/// when the interface goes away (after the No Interface announcement).
/// </summary>
public sealed record AnnounceProvisioningDomains(string InterfaceId) : IToMifApi;

/// <summary>Section 3.2.7.6: no more PvD announcements for this interface.</summary>
public sealed record StopAnnouncingProvisioningDomains(string InterfaceId) : IToMifApi;

/// <summary>
/// Section 3.2.7.7: a PvD is configured on an interface. The PvD id is the RFC 8801 PvD ID (an FQDN) when the
/// network advertises one, otherwise an implicit id per interface and source: <c>wlan0/fe80::1</c> for a router,
/// <c>wlan0/dhcpv4</c>, <c>wlan0/static</c> (docs/mif-api.md, "PvD identity").
/// </summary>
public sealed record ProvisioningDomainAnnouncement(string InterfaceId, string PvdId) : IFromMifApi;

/// <summary>Section 3.2.7.8: a previously announced PvD expired or became invalid.</summary>
public sealed record NoProvisioningDomainAnnouncement(string InterfaceId, string PvdId) : IFromMifApi;

// --- 3.2.7.9 - 3.2.7.12: configuration elements --------------------------------------------------------------------

/// <summary>
/// Section 3.2.7.9: announce the configuration elements of a PvD, then new and invalidated ones. The subscription
/// ends by itself when the PvD goes away (after its No Configuration Element announcements).
/// A null <paramref name="PvdId"/> means the PvD selected with <see cref="ConnectToPvd"/>.
/// </summary>
public sealed record AnnounceConfigurationElements(string? PvdId) : IToMifApi;

/// <summary>Section 3.2.7.10: a PvD has a (complete) configuration element of this type; one per type and PvD.</summary>
public sealed record ConfigurationElementAnnouncement(string PvdId, ConfigurationElementType ElementType) : IFromMifApi;

/// <summary>Section 3.2.7.11: a previously announced configuration element is no longer valid.</summary>
public sealed record NoConfigurationElementAnnouncement(string PvdId, ConfigurationElementType ElementType) : IFromMifApi;

/// <summary>
/// Section 3.2.7.12: stop announcing configuration elements. The draft gives no field; <paramref name="PvdId"/>
/// names one PvD's subscription, null ends them all.
/// </summary>
public sealed record StopAnnouncingConfigurationElements(string? PvdId = null) : IToMifApi;

// --- 3.2.7.13 - 3.2.7.16: addresses --------------------------------------------------------------------------------

/// <summary>
/// Section 3.2.7.13: announce the valid addresses of a PvD, then new and invalidated ones. The subscription ends by
/// itself when the PvD goes away (after its No Address announcements).
/// A null <paramref name="PvdId"/> means the PvD selected with <see cref="ConnectToPvd"/>.
/// </summary>
public sealed record AnnounceAddresses(string? PvdId) : IToMifApi;

/// <summary>
/// Section 3.2.7.14: one address of a PvD with its remaining valid and preferred lifetimes at the time of the
/// announcement. A lifetime is null when it is infinite (static addresses). IPv4 addresses carry the remaining
/// lease as both lifetimes when they came from DHCPv4. An address is announced again when it becomes deprecated
/// (preferred lifetime over) or preferred again; a refresh that only extends its lifetimes is not announced.
/// </summary>
public sealed record AddressAnnouncement(IPAddress Address, string PvdId, TimeSpan? ValidLifetime, TimeSpan? PreferredLifetime)
    : IFromMifApi;

/// <summary>
/// Section 3.2.7.15: stop announcing addresses. The draft gives no field; <paramref name="PvdId"/> names one
/// PvD's subscription, null ends them all.
/// </summary>
public sealed record StopAnnouncingAddresses(string? PvdId = null) : IToMifApi;

/// <summary>Section 3.2.7.16: a previously announced address is no longer valid in the PvD.</summary>
public sealed record NoAddressAnnouncement(string PvdId, IPAddress Address) : IFromMifApi;

// --- 3.2.7.17: configuration data ----------------------------------------------------------------------------------

/// <summary>
/// Section 3.2.7.17: ask for one kind of configuration data from one configuration element of a PvD.
/// A null <paramref name="PvdId"/> means the PvD selected with <see cref="ConnectToPvd"/>.
/// </summary>
public sealed record GetConfigurationData(string? PvdId, ConfigurationElementType ElementType, ConfigurationInformation Identifier)
    : IToMifApi;

/// <summary>
/// The answer to <see cref="GetConfigurationData"/>: the values as text, in the order the network gave them
/// (addresses as <c>2001:db8::53</c>, prefixes as <c>2001:db8:1::/64</c>, routes as
/// <c>2001:db8:2::/48 via fe80::1</c>, flags as <c>true</c>/<c>false</c>).
/// </summary>
public sealed record ConfigurationData(
    string PvdId, ConfigurationElementType ElementType, ConfigurationInformation Identifier, IReadOnlyList<string> Values)
    : IFromMifApi
{
    // Value equality over the list, so that two answers with the same values are equal (records compare lists by reference).
    public bool Equals(ConfigurationData? other) =>
        other is not null && PvdId == other.PvdId && ElementType == other.ElementType && Identifier == other.Identifier
        && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(PvdId, ElementType, Identifier, Values.Count);

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"PvdId = {PvdId}, ElementType = {ElementType}, Identifier = {Identifier}, Values = [{string.Join(", ", Values)}]");
        return true;
    }
}

/// <summary>The answer to <see cref="GetConfigurationData"/> when the PvD has no such element or no such data.</summary>
public sealed record NoConfigurationData(string PvdId, ConfigurationElementType ElementType, ConfigurationInformation Identifier)
    : IFromMifApi;

// --- 3.2.7.18 - 3.2.7.20: names ------------------------------------------------------------------------------------

/// <summary>
/// Section 3.2.7.18: resolve <paramref name="Name"/> (A and AAAA) with the PvD's own DNS servers only.
/// <paramref name="TranslationId"/> must be unique among this subscriber's outstanding translations; a duplicate is
/// answered with <see cref="Error"/>. A null <paramref name="PvdId"/> means the PvD selected with
/// <see cref="ConnectToPvd"/>, or, when none is, the PvD that mifactors.mif.dns-selection maps the name to (RFC 6731).
/// </summary>
public sealed record TranslateName(string? PvdId, string Name, string TranslationId) : IToMifApi;

/// <summary>Section 3.2.7.19: no more results for this translation; its id may be used again.</summary>
public sealed record StopTranslatingName(string TranslationId) : IToMifApi;

/// <summary>Section 3.2.7.20: one address for a translation; one message per address, A and AAAA alike.</summary>
public sealed record NameTranslation(string TranslationId, IPAddress Address) : IFromMifApi;

/// <summary>
/// The translation gave no address at all (NXDOMAIN, SERVFAIL, timeout, no servers, the PvD went away, ...). It ends
/// the translation; its id may be used again. A translation that gave at least one address ends with
/// <see cref="NameTranslationComplete"/> instead, even when one of its queries (A or AAAA) failed.
/// </summary>
public sealed record NoNameTranslation(string TranslationId, NameTranslationFailure Reason, string Message) : IFromMifApi;

/// <summary>
/// Not in the draft, which has no end to a translation: every address has been sent (at least one), and the
/// translation's id may be used again.
/// </summary>
public sealed record NameTranslationComplete(string TranslationId) : IFromMifApi;

// --- 3.2.7.21 - 3.2.7.25: connections ------------------------------------------------------------------------------

/// <summary>
/// Section 3.2.7.21: select one PvD for this subscriber (RFC 7556 section 6.3, an advanced PvD-aware
/// application). Requests from this subscriber that name no PvD (a null PvdId) use it from then on. No answer
/// when the PvD exists; <see cref="Error"/> when it does not. When the PvD goes away the selection is dropped.
/// </summary>
public sealed record ConnectToPvd(string PvdId) : IToMifApi;

/// <summary>
/// Section 3.2.7.22: open a TCP connection to <paramref name="Address"/>:<paramref name="Port"/> from a source address
/// valid in the PvD (RFC 6724 selection among the PvD's preferred addresses), bound to the PvD's interface.
/// <paramref name="ConnectionId"/> must be unique among this subscriber's connections. The draft has no port; TCP needs one.
/// </summary>
public sealed record ConnectToAddress(IPAddress Address, int Port, string? PvdId, string ConnectionId) : IToMifApi;

/// <summary>Section 3.2.7.23: as <see cref="ConnectToAddress"/>, from the given source address, which must be the PvD's.</summary>
public sealed record ConnectToAddressFromAddress(
    IPAddress SourceAddress, IPAddress Address, int Port, string? PvdId, string ConnectionId) : IToMifApi;

/// <summary>
/// Section 3.2.7.24: the connection is established. The draft's "token suitable for use with the connection API" is
/// <see cref="Stream"/>: the open connection, handed to an in-process subscriber. It is not a record member and is
/// never serialized (a subscriber over the JSON socket gets the endpoints only). The subscriber owns the stream and
/// disposes it to close the connection.
/// </summary>
public sealed record Connected(
    string ConnectionId, string PvdId, IPAddress LocalAddress, int LocalPort, IPAddress RemoteAddress, int RemotePort)
    : IFromMifApi
{
    /// <summary>The open connection, for an in-process subscriber only; null after a trip through JSON.</summary>
    [JsonIgnore]
    public Stream? Stream { get; init; }

    // Equality leaves the stream out: two Connected for the same connection are the same message.
    public bool Equals(Connected? other) =>
        other is not null && ConnectionId == other.ConnectionId && PvdId == other.PvdId
        && LocalAddress.Equals(other.LocalAddress) && LocalPort == other.LocalPort
        && RemoteAddress.Equals(other.RemoteAddress) && RemotePort == other.RemotePort;

    public override int GetHashCode() => HashCode.Combine(ConnectionId, PvdId, LocalAddress, LocalPort, RemoteAddress, RemotePort);
}

/// <summary>Section 3.2.7.25: the connection could not be established, and why.</summary>
public sealed record NotConnected(string ConnectionId, ConnectionFailure Reason, string Message) : IFromMifApi;

// --- 3.2.7.26: application connectivity management ----------------------------------------------------------------

/// <summary>
/// Section 3.2.7.26.1: the application wants to connect; the backend brings up interfaces that are available but
/// down (a dormant radio). A no-op when every interface is up.
/// </summary>
public sealed record WantsToConnect : IToMifApi;

/// <summary>Section 3.2.7.26.2: the application expects no traffic on this connection for now, but will resume.</summary>
public sealed record ConnectionIsIdle(string ConnectionId) : IToMifApi;

/// <summary>Section 3.2.7.26.3: the application can re-establish this connection if it is broken.</summary>
public sealed record ConnectionCanBeBroken(string ConnectionId) : IToMifApi;

/// <summary>
/// Section 3.2.7.26.4: the system intends to take this interface down. Sent to subscribers of interface
/// announcements and to subscribers with a connection on the interface.
/// </summary>
public sealed record InterfaceIsGoingAway(string InterfaceId) : IFromMifApi;

/// <summary>Section 3.2.7.26.5: the system intends to take this interface up. Sent to subscribers of interface announcements.</summary>
public sealed record InterfaceIsGoingUp(string InterfaceId) : IFromMifApi;

// --- protocol errors -----------------------------------------------------------------------------------------------

/// <summary>
/// Not in the draft: a request the MIF API cannot act on (a duplicate translation or connection id, an unknown
/// interface, a missing field). <paramref name="Request"/> is the request's type name (<c>TranslateName</c>),
/// <paramref name="Id"/> the id it carried, if any, and <paramref name="Message"/> a sentence saying what to change.
/// </summary>
public sealed record Error(string Request, string? Id, string Message) : IFromMifApi;
