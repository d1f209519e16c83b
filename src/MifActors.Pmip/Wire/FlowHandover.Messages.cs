using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MifActors.Pmip.Wire;

/// <summary>FHRP status (draft-koodli-flow-handover-00 §4.2).</summary>
public enum FlowHandoverStatus : byte
{
    Success = 0,

    /// <summary>Unable to establish flow forwarding.</summary>
    Failure = 1,
}

/// <summary>
/// An address or prefix in a flow tuple: IPv6 in the HNP format (draft §4.3.1, an address is a /128) or an IPv4
/// address (draft §4.3.2). A wildcard matches any address of its family: <c>::/0</c>, or IPv4 <c>0.0.0.0</c>.
/// Held as a 128-bit value so decoding one allocates nothing.
/// </summary>
public readonly record struct FlowAddress
{
    private FlowAddress(UInt128 value, byte prefixLength, bool isIPv4)
    {
        Value = value;
        PrefixLength = prefixLength;
        IsIPv4 = isIPv4;
    }

    /// <summary>The address bits, big-endian: all 128 for IPv6, the low 32 for IPv4.</summary>
    public UInt128 Value { get; }

    /// <summary>Prefix length: 128 for an IPv6 address, 0 for the IPv6 wildcard, 32 for any IPv4 address.</summary>
    public byte PrefixLength { get; }

    public bool IsIPv4 { get; }

    public bool IsWildcard => IsIPv4 ? Value == 0 : PrefixLength == 0;

    public static FlowAddress AnyIPv6 => new(0, 0, false);

    public static FlowAddress AnyIPv4 => new(0, 32, true);

    /// <summary>One host: an IPv6 /128 or an IPv4 address.</summary>
    public static FlowAddress Host(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? IPv4(address) : Prefix(address, 128);

    public static FlowAddress Prefix(IPAddress prefix, byte prefixLength)
    {
        if (prefix.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException($"a flow prefix must be IPv6, not {prefix}", nameof(prefix));
        if (prefixLength > 128)
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "an IPv6 prefix length is at most 128");
        Span<byte> bytes = stackalloc byte[16];
        prefix.TryWriteBytes(bytes, out _);
        return new(BinaryPrimitives.ReadUInt128BigEndian(bytes), prefixLength, false);
    }

    public static FlowAddress IPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"not an IPv4 address: {address}", nameof(address));
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return new(BinaryPrimitives.ReadUInt32BigEndian(bytes), 32, true);
    }

    internal static FlowAddress FromIPv6(ReadOnlySpan<byte> bytes, byte prefixLength) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(bytes), prefixLength, false);

    internal static FlowAddress FromIPv6(UInt128 value, byte prefixLength) => new(value, prefixLength, false);

    internal static FlowAddress FromIPv4(uint value) => new(value, 32, true);

    public IPAddress ToIPAddress()
    {
        if (IsIPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)Value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, Value);
        return new IPAddress(v6);
    }

    public override string ToString() => IsIPv4 ? ToIPAddress().ToString() : $"{ToIPAddress()}/{PrefixLength}";
}

/// <summary>
/// A Per-Hop Behavior identification code (RFC 3140 §2): for a standard PHB the DSCP in the top 6 bits and zeros
/// below; bit 15 (the least significant) set means an IANA-assigned PHB id in the top 12 bits.
/// </summary>
public readonly record struct PhbId(ushort Value)
{
    /// <summary>The default PHB (best effort, DSCP 0).</summary>
    public static PhbId Default => new(0);

    /// <summary>Expedited Forwarding (DSCP 46), what VoIP usually asks for.</summary>
    public static PhbId ExpeditedForwarding => FromDscp(46);

    public static PhbId FromDscp(int dscp)
    {
        if (dscp is < 0 or > 63) throw new ArgumentOutOfRangeException(nameof(dscp), dscp, "a DSCP is 6 bits");
        return new((ushort)(dscp << 10));
    }

    /// <summary>True when the id names a standard PHB by its DSCP (RFC 3140 §2, case 1).</summary>
    public bool IsDscp => (Value & 0x0001) == 0;

    public int Dscp => Value >> 10;

    public override string ToString() => IsDscp ? $"DSCP {Dscp}" : $"PHB 0x{Value:x4}";
}

/// <summary>
/// One flow tuple, in the order draft-koodli-flow-handover-00 §4.1 lists its options: source address, destination
/// address, source port, destination port (one Port Numbers option), QoS uplink, QoS downlink. Port 0 is a wildcard.
/// </summary>
public readonly record struct FlowTuple(
    FlowAddress Source,
    FlowAddress Destination,
    ushort SourcePort,
    ushort DestinationPort,
    PhbId QosUplink,
    PhbId QosDownlink);

/// <summary>
/// Flow Handover Request (draft-koodli-flow-handover-00 §4.1): the LMA asks a MAG to forward flows of an MN. R = 0.
/// </summary>
/// <param name="SequenceNumber">Sequence #, monotonically increasing; the reply copies it.</param>
/// <param name="Cease">C flag: stop forwarding these flows.</param>
/// <param name="Lifetime">Requested forwarding time in seconds.</param>
/// <param name="MobileNodeIdentifier">The MN-ID option, which must come first.</param>
/// <param name="Flows">One or more flow tuples.</param>
public sealed record FlowHandoverRequest(
    ushort SequenceNumber,
    bool Cease,
    ushort Lifetime,
    MobileNodeIdentifier MobileNodeIdentifier,
    ValueList<FlowTuple> Flows) : MobilityMessage;

/// <summary>
/// Flow Handover Reply (draft-koodli-flow-handover-00 §4.2): the MAG's answer, or an unsolicited notice. R = 1.
/// </summary>
/// <param name="SequenceNumber">Sequence # of the request answered.</param>
/// <param name="Unsolicited">U flag: sent without a request; Lifetime is the new value asked for, 0 = MN gone.</param>
/// <param name="Status">0 success, 1 failure.</param>
/// <param name="Lifetime">Granted forwarding time in seconds.</param>
/// <param name="MobileNodeIdentifier">The MN-ID option; mandatory when Status is 0.</param>
/// <param name="Flows">The flow tuples, in the request's order; mandatory when Status is 0.</param>
public sealed record FlowHandoverReply(
    ushort SequenceNumber,
    bool Unsolicited,
    FlowHandoverStatus Status,
    ushort Lifetime,
    MobileNodeIdentifier? MobileNodeIdentifier,
    ValueList<FlowTuple> Flows) : MobilityMessage;
