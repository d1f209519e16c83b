namespace MifActors.Pmip.Wire;

/// <summary>MH types IANA assigned to the messages this codec handles.</summary>
public static class MobilityHeaderType
{
    /// <summary>Binding Update, which a Proxy Binding Update is (RFC 6275 §6.1.7, RFC 5213 §8.1).</summary>
    public const byte BindingUpdate = 5;

    /// <summary>Binding Acknowledgement, which a Proxy Binding Acknowledgement is (RFC 6275 §6.1.8, RFC 5213 §8.2).</summary>
    public const byte BindingAcknowledgement = 6;

    /// <summary>Heartbeat (RFC 5847 §5.1).</summary>
    public const byte Heartbeat = 13;
}

/// <summary>
/// Binding Update flags as they sit in the 16 bits after the sequence number: A, H, L, K (RFC 6275 §6.1.7),
/// M (RFC 4140), R (RFC 3963), P (RFC 5213 §8.1), F (RFC 5555), T (RFC 5845), B (RFC 6602).
/// </summary>
[Flags]
public enum BindingUpdateFlags : ushort
{
    None = 0,
    Acknowledge = 0x8000,
    HomeRegistration = 0x4000,
    LinkLocalCompatibility = 0x2000,
    KeyManagementCompatibility = 0x1000,
    MapRegistration = 0x0800,
    MobileRouter = 0x0400,
    ProxyRegistration = 0x0200,
    ForceUdpEncapsulation = 0x0100,
    TlvHeaderFormat = 0x0080,
    BulkBindingUpdate = 0x0040,
}

/// <summary>
/// Binding Acknowledgement flags, the octet after the status: K (RFC 6275 §6.1.8), R (RFC 3963),
/// P (RFC 5213 §8.2), T (RFC 5845), B (RFC 6602).
/// </summary>
[Flags]
public enum BindingAckFlags : byte
{
    None = 0,
    KeyManagementCompatibility = 0x80,
    MobileRouter = 0x40,
    ProxyRegistration = 0x20,
    TlvHeaderFormat = 0x10,
    BulkBindingUpdate = 0x08,
}

/// <summary>Binding Acknowledgement status codes a PMIPv6 LMA uses (RFC 6275 §6.1.8, RFC 5213 §8.9, RFC 5844 §3.2).</summary>
public enum BindingAckStatus : byte
{
    Accepted = 0,
    ReasonUnspecified = 128,
    AdministrativelyProhibited = 129,
    InsufficientResources = 130,
    SequenceNumberOutOfWindow = 135,
    ProxyRegistrationNotEnabled = 152,
    NotLmaForThisMobileNode = 153,
    MagNotAuthorizedForProxyRegistration = 154,
    NotAuthorizedForHomeNetworkPrefix = 155,
    TimestampMismatch = 156,
    TimestampLowerThanPreviouslyAccepted = 157,
    MissingHomeNetworkPrefixOption = 158,
    BcePbuPrefixSetDoNotMatch = 159,
    MissingMobileNodeIdentifierOption = 160,
    MissingHandoffIndicatorOption = 161,
    MissingAccessTechnologyTypeOption = 162,
    NotAuthorizedForIPv4MobilityService = 170,
    NotAuthorizedForIPv4HomeAddress = 171,
    NotAuthorizedForIPv6MobilityService = 172,
    MultipleIPv4HomeAddressAssignmentNotSupported = 173,
}

/// <summary>
/// Proxy Binding Update (RFC 5213 §8.1; format of RFC 6275 §6.1.7 with the P flag). Sent by a MAG to the LMA.
/// </summary>
/// <param name="SequenceNumber">Sequence #, matched by the acknowledgement.</param>
/// <param name="Flags">A, H, L, K, M, R, P (and later) flags; a PBU sets at least A and P.</param>
/// <param name="Lifetime">Requested lifetime in units of 4 seconds; 0 de-registers.</param>
/// <param name="MobileNodeIdentifier">MN Identifier option (RFC 4283).</param>
/// <param name="HomeNetworkPrefixes">Home Network Prefix options (RFC 5213 §8.3), one per prefix.</param>
/// <param name="HandoffIndicator">Handoff Indicator option (RFC 5213 §8.4).</param>
/// <param name="AccessTechnologyType">Access Technology Type option (RFC 5213 §8.5).</param>
/// <param name="Timestamp">Timestamp option (RFC 5213 §8.8).</param>
/// <param name="IPv4HomeAddressRequest">IPv4 Home Address Request option (RFC 5844 §3.1.1).</param>
public sealed record ProxyBindingUpdate(
    ushort SequenceNumber,
    BindingUpdateFlags Flags,
    ushort Lifetime,
    MobileNodeIdentifier? MobileNodeIdentifier = null,
    ValueList<HomeNetworkPrefix>? HomeNetworkPrefixes = null,
    HandoffIndicator? HandoffIndicator = null,
    AccessTechnologyType? AccessTechnologyType = null,
    MobilityTimestamp? Timestamp = null,
    IPv4HomeAddressRequest? IPv4HomeAddressRequest = null) : MobilityMessage
{
    /// <summary>The flags RFC 5213 §6.9.1.1 has a MAG set: acknowledge requested, home registration, proxy registration.</summary>
    public const BindingUpdateFlags ProxyFlags =
        BindingUpdateFlags.Acknowledge | BindingUpdateFlags.HomeRegistration | BindingUpdateFlags.ProxyRegistration;

    /// <summary>The lifetime as a duration (the wire counts 4-second units).</summary>
    public TimeSpan LifetimeDuration => TimeSpan.FromSeconds(Lifetime * 4);
}

/// <summary>
/// Proxy Binding Acknowledgement (RFC 5213 §8.2; format of RFC 6275 §6.1.8 with the P flag). Sent by the LMA.
/// </summary>
/// <param name="Status">Status: below 128 accepted, 128 and up rejected.</param>
/// <param name="Flags">K, R, P (and later) flags; a PBA sets P.</param>
/// <param name="SequenceNumber">Sequence # copied from the Proxy Binding Update.</param>
/// <param name="Lifetime">Granted lifetime in units of 4 seconds.</param>
/// <param name="MobileNodeIdentifier">MN Identifier option (RFC 4283).</param>
/// <param name="HomeNetworkPrefixes">Home Network Prefix options (RFC 5213 §8.3).</param>
/// <param name="HandoffIndicator">Handoff Indicator option (RFC 5213 §8.4).</param>
/// <param name="AccessTechnologyType">Access Technology Type option (RFC 5213 §8.5).</param>
/// <param name="Timestamp">Timestamp option (RFC 5213 §8.8).</param>
/// <param name="IPv4HomeAddressReply">IPv4 Home Address Reply option (RFC 5844 §3.1.2).</param>
/// <param name="IPv4DefaultRouterAddress">IPv4 Default-Router Address option (RFC 5844 §3.3).</param>
public sealed record ProxyBindingAck(
    BindingAckStatus Status,
    BindingAckFlags Flags,
    ushort SequenceNumber,
    ushort Lifetime,
    MobileNodeIdentifier? MobileNodeIdentifier = null,
    ValueList<HomeNetworkPrefix>? HomeNetworkPrefixes = null,
    HandoffIndicator? HandoffIndicator = null,
    AccessTechnologyType? AccessTechnologyType = null,
    MobilityTimestamp? Timestamp = null,
    IPv4HomeAddressReply? IPv4HomeAddressReply = null,
    System.Net.IPAddress? IPv4DefaultRouterAddress = null) : MobilityMessage
{
    /// <summary>The lifetime as a duration (the wire counts 4-second units).</summary>
    public TimeSpan LifetimeDuration => TimeSpan.FromSeconds(Lifetime * 4);
}

/// <summary>Heartbeat (RFC 5847 §5.1): a request (R = 0) or response (R = 1) between MAG and LMA.</summary>
/// <param name="Unsolicited">U flag: sent without a request, e.g. after a restart.</param>
/// <param name="Response">R flag: this answers a heartbeat request.</param>
/// <param name="SequenceNumber">32-bit sequence number, copied into the response.</param>
public sealed record Heartbeat(bool Unsolicited, bool Response, uint SequenceNumber) : MobilityMessage;
