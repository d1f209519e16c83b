using System.Collections.Concurrent;

namespace MifActors.Pmip.Wire.Internal;

/// <summary>
/// One flow tuple as it lies on the wire from a given start offset: the padding, option types and lengths already in
/// place, and where each value goes. Encoding a tuple is then one copy and six stores, with no padding arithmetic.
/// </summary>
/// <param name="Bytes">The tuple's octets with every value zero, from the first padding octet to the end of QoS down.</param>
/// <param name="Source">Offset in <paramref name="Bytes"/> of the source address option's data.</param>
/// <param name="Destination">Offset of the destination address option's data.</param>
/// <param name="Ports">Offset of the port numbers option's data.</param>
/// <param name="QosUplink">Offset of the QoS uplink option's data.</param>
/// <param name="QosDownlink">Offset of the QoS downlink option's data.</param>
internal sealed record FlowTupleTemplate(byte[] Bytes, int Source, int Destination, int Ports, int QosUplink, int QosDownlink);

/// <summary>
/// The precomputed <see cref="FlowTupleTemplate"/>s of one set of flow option types: a tuple's padding depends only
/// on where it starts modulo 8 (every alignment rule divides 8) and on whether each address is IPv4 or IPv6, so
/// 8 × 4 templates cover every tuple. Built by the ordinary option writer, so the bytes are the ones it would write.
/// </summary>
internal sealed class FlowTupleLayouts
{
    // Few distinct option sets exist in a process (usually one): remember the last, keep the rest in a dictionary.
    private static readonly ConcurrentDictionary<uint, FlowTupleLayouts> Built = new();
    private static FlowTupleLayouts? last;

    private readonly FlowTupleTemplate[] templates = new FlowTupleTemplate[8 * 4];

    private FlowTupleLayouts(uint key, MobilityHeaderCodecOptions options)
    {
        Key = key;
        Span<byte> scratch = stackalloc byte[MobilityOptionLayout.MaxLength];
        for (var start = 0; start < 8; start++)
        {
            for (var kinds = 0; kinds < 4; kinds++)
                templates[start * 4 + kinds] = Build(scratch, start, sourceIsIPv4: (kinds & 1) != 0, destinationIsIPv4: (kinds & 2) != 0, options);
        }
    }

    private uint Key { get; }

    /// <summary>The layouts for <paramref name="options"/>' flow option types; built once per distinct set.</summary>
    public static FlowTupleLayouts For(MobilityHeaderCodecOptions options)
    {
        var key = (uint)(options.FlowIPv6AddressOptionType | options.FlowIPv4AddressOptionType << 8
            | options.FlowPortsOptionType << 16 | options.FlowQosOptionType << 24);
        var layouts = Volatile.Read(ref last);
        if (layouts is not null && layouts.Key == key) return layouts;
        layouts = Built.GetOrAdd(key, static (k, o) => new FlowTupleLayouts(k, o), options);
        Volatile.Write(ref last, layouts);
        return layouts;
    }

    public FlowTupleTemplate Get(int position, bool sourceIsIPv4, bool destinationIsIPv4) =>
        templates[(position & 7) * 4 + (sourceIsIPv4 ? 1 : 0) + (destinationIsIPv4 ? 2 : 0)];

    private static FlowTupleTemplate Build(Span<byte> scratch, int start, bool sourceIsIPv4, bool destinationIsIPv4,
        MobilityHeaderCodecOptions options)
    {
        var writer = new MobilityOptionWriter(scratch, start);
        var source = BeginAddress(ref writer, sourceIsIPv4, options);
        var destination = BeginAddress(ref writer, destinationIsIPv4, options);
        var ports = Begin(ref writer, options.FlowPortsOptionType, MobilityOptionLayout.PortsOptionLength, options);
        var qosUp = Begin(ref writer, options.FlowQosOptionType, MobilityOptionLayout.QosOptionLength, options);
        var qosDown = Begin(ref writer, options.FlowQosOptionType, MobilityOptionLayout.QosOptionLength, options);
        return new(scratch[start..writer.Position].ToArray(), source - start, destination - start, ports - start, qosUp - start,
            qosDown - start);
    }

    private static int BeginAddress(ref MobilityOptionWriter writer, bool isIPv4, MobilityHeaderCodecOptions options) => isIPv4
        ? Begin(ref writer, options.FlowIPv4AddressOptionType, MobilityOptionLayout.IPv4OptionLength, options)
        : Begin(ref writer, options.FlowIPv6AddressOptionType, MobilityOptionLayout.HomeNetworkPrefixLength, options);

    // Returns the offset of the option's data.
    private static int Begin(ref MobilityOptionWriter writer, byte type, int length, MobilityHeaderCodecOptions options)
    {
        writer.Begin(type, length, MobilityOptionLayout.Alignment(type, options, flowContext: true));
        return writer.Position - length;
    }
}
