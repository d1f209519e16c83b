using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.Serialization;
using System.Text;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Persistence.Internal;

/// <summary>
/// Writes the fields of events and snapshots, little-endian, each value in its smallest fixed form: no field names, no
/// padding. A string is a u16 byte count and its UTF-8; an optional value a presence byte first; an address its length
/// (4 or 16, 0 for none) and its octets; a time UTC ticks.
/// </summary>
internal sealed class PmipWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(128);

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();

    public void Byte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(2), value);
        buffer.Advance(2);
    }

    public void I32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void Time(DateTimeOffset value) => I64(value.UtcTicks);

    public void Duration(TimeSpan value) => I64(value.Ticks);

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue) throw new SerializationException($"a string of {length} bytes does not fit an event field (at most 65535)");
        U16((ushort)length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    public void OptionalString(string? value)
    {
        Bool(value is not null);
        if (value is not null) String(value);
    }

    public void OptionalU16(ushort? value)
    {
        Bool(value is not null);
        if (value is { } number) U16(number);
    }

    public void Address(IPAddress? address)
    {
        if (address is null)
        {
            Byte(0);
            return;
        }

        var span = buffer.GetSpan(17);
        address.TryWriteBytes(span[1..], out var written);
        span[0] = (byte)written;
        buffer.Advance(1 + written);
    }

    public void Mag(MagAddress mag) => Address(mag.IsNone ? null : mag.Address);

    public void Prefix(HomeNetworkPrefix? prefix)
    {
        Bool(prefix is not null);
        if (prefix is not { } hnp) return;
        Address(hnp.Prefix);
        Byte(hnp.PrefixLength);
    }

    public void Flows(IReadOnlyList<FlowTuple> flows)
    {
        U16(checked((ushort)flows.Count));
        foreach (var flow in flows) Flow(flow);
    }

    public void Flow(FlowTuple flow)
    {
        FlowAddress(flow.Source);
        FlowAddress(flow.Destination);
        U16(flow.SourcePort);
        U16(flow.DestinationPort);
        U16(flow.QosUplink.Value);
        U16(flow.QosDownlink.Value);
    }

    private void FlowAddress(FlowAddress address)
    {
        Bool(address.IsIPv4);
        Byte(address.PrefixLength);
        var span = buffer.GetSpan(16);
        BinaryPrimitives.WriteUInt128LittleEndian(span, address.Value);
        buffer.Advance(16);
    }
}

/// <summary>Reads what <see cref="PmipWriter"/> wrote; a payload that ends early or holds an impossible value fails naming its manifest.</summary>
internal ref struct PmipReader(ReadOnlySpan<byte> bytes, string manifest)
{
    private readonly ReadOnlySpan<byte> bytes = bytes;
    private int offset;

    public readonly void End()
    {
        if (offset != bytes.Length) throw Error($"{bytes.Length - offset} bytes are left over after the last field");
    }

    public byte Byte() => Take(1)[0];

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var other => throw Error($"a flag is {other}, not 0 or 1"),
    };

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public DateTimeOffset Time()
    {
        var ticks = I64();
        return ticks is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw Error($"{ticks} is not a time");
    }

    public TimeSpan Duration() => TimeSpan.FromTicks(I64());

    public string String()
    {
        var length = U16();
        try
        {
            return Encoding.UTF8.GetString(Take(length));
        }
        catch (ArgumentException)
        {
            throw Error("a string is not UTF-8");
        }
    }

    public string? OptionalString() => Bool() ? String() : null;

    public ushort? OptionalU16() => Bool() ? U16() : null;

    public IPAddress? Address()
    {
        var length = Byte();
        return length switch
        {
            0 => null,
            4 or 16 => new IPAddress(Take(length)),
            _ => throw Error($"an address is {length} bytes long, not 4 or 16"),
        };
    }

    public MagAddress Mag() => Address() is { } address ? new MagAddress(address) : MagAddress.None;

    public HomeNetworkPrefix? Prefix()
    {
        if (!Bool()) return null;
        var address = Address() ?? throw Error("a prefix has no address");
        return new HomeNetworkPrefix(address, Byte());
    }

    public FlowTuple[] Flows()
    {
        var count = U16();
        // Each flow takes 44 bytes: a count beyond what is left is damage, not a reason to allocate.
        if (count * 44 > bytes.Length - offset) throw Error($"{count} flows do not fit the {bytes.Length - offset} bytes left");
        var flows = new FlowTuple[count];
        for (var i = 0; i < count; i++) flows[i] = Flow();
        return flows;
    }

    public FlowTuple Flow() => new(FlowAddress(), FlowAddress(), U16(), U16(), new PhbId(U16()), new PhbId(U16()));

    /// <summary>A count of items that take at least <paramref name="minimumSize"/> bytes each, checked against what is left.</summary>
    public int Count(int minimumSize)
    {
        var count = I32();
        return count >= 0 && (long)count * minimumSize <= bytes.Length - offset
            ? count
            : throw Error($"{count} entries do not fit the {bytes.Length - offset} bytes left");
    }

    public readonly SerializationException Error(string what) =>
        new($"cannot read a {manifest} payload of {bytes.Length} bytes at byte {offset}: {what}");

    private FlowAddress FlowAddress()
    {
        var isIPv4 = Bool();
        var length = Byte();
        var value = BinaryPrimitives.ReadUInt128LittleEndian(Take(16));
        if (isIPv4) return value <= uint.MaxValue ? Wire.FlowAddress.FromIPv4((uint)value) : throw Error("an IPv4 flow address has more than 32 bits");
        return length <= 128 ? Wire.FlowAddress.FromIPv6(value, length) : throw Error($"a prefix length is {length}");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (bytes.Length - offset < count) throw Error($"it ends {count - (bytes.Length - offset)} bytes early");
        var span = bytes.Slice(offset, count);
        offset += count;
        return span;
    }
}
