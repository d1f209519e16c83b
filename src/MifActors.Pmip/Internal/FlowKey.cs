using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Internal;

/// <summary>What identifies a flow for forwarding: the tuple without its QoS, which says how, not which.</summary>
internal readonly record struct FlowKey(FlowAddress Source, FlowAddress Destination, ushort SourcePort, ushort DestinationPort)
{
    public static FlowKey Of(FlowTuple flow) => new(flow.Source, flow.Destination, flow.SourcePort, flow.DestinationPort);

    /// <summary>Host addresses and both ports given: an exact-match entry.</summary>
    public bool IsExact => IsHost(Source) && IsHost(Destination) && SourcePort != 0 && DestinationPort != 0;

    /// <summary>Orders wildcard entries: more fields given first, then more prefix bits.</summary>
    public int Specificity =>
        ((IsHost(Source) ? 1 : 0) + (IsHost(Destination) ? 1 : 0) + (SourcePort != 0 ? 1 : 0) + (DestinationPort != 0 ? 1 : 0)) * 1000
        + Bits(Source) + Bits(Destination);

    public bool Matches(FlowTuple flow) =>
        Matches(Source, flow.Source) && Matches(Destination, flow.Destination)
        && (SourcePort == 0 || SourcePort == flow.SourcePort) && (DestinationPort == 0 || DestinationPort == flow.DestinationPort);

    /// <summary>True when <paramref name="address"/> lies in <paramref name="pattern"/> (a wildcard, a prefix or a host).</summary>
    public static bool Matches(FlowAddress pattern, FlowAddress address)
    {
        if (pattern.IsIPv4 != address.IsIPv4) return false;
        if (pattern.IsWildcard) return true;
        if (pattern.IsIPv4) return pattern.Value == address.Value;
        return Prefix(pattern.Value, pattern.PrefixLength) == Prefix(address.Value, pattern.PrefixLength);
    }

    public static UInt128 Prefix(UInt128 value, int length) => length == 0 ? 0 : value & (UInt128.MaxValue << (128 - length));

    private static bool IsHost(FlowAddress address) => address.IsIPv4 ? address.Value != 0 : address.PrefixLength == 128;

    private static int Bits(FlowAddress address) => address.IsWildcard ? 0 : address.IsIPv4 ? 32 : address.PrefixLength;
}

/// <summary>RFC 1982 serial number arithmetic for the 16-bit sequence numbers of PBU and FHRQ.</summary>
internal static class SerialNumber
{
    public static bool IsNewer(ushort candidate, ushort than) => candidate != than && (ushort)(candidate - than) < 0x8000;
}
