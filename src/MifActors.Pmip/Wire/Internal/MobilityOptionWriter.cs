using System.Runtime.CompilerServices;

namespace MifActors.Pmip.Wire.Internal;

/// <summary>Writes option TLVs, inserting Pad1/PadN so each option meets its alignment rule (RFC 6275 §6.2).</summary>
internal ref struct MobilityOptionWriter
{
    private readonly Span<byte> _destination;

    public MobilityOptionWriter(Span<byte> destination, int start)
    {
        _destination = destination;
        Position = start;
    }

    public int Position { get; private set; }

    /// <summary>Writes an option's type and length after any padding its alignment needs; returns its data to fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Begin(byte type, int dataLength, int alignment)
    {
        if (dataLength > byte.MaxValue)
            throw new ArgumentException($"option type {type} would be {dataLength} bytes long; an option holds at most 255");
        // Every x in an "xn+y" rule is a power of two, so the padding is a mask, not a division.
        Pad(((alignment & 0xF) - Position) & ((alignment >> 4) - 1));
        var option = Reserve(2 + dataLength);
        option[0] = type;
        option[1] = (byte)dataLength;
        var data = option[2..];
        data.Clear();
        return data;
    }

    /// <summary>Pads the message to a multiple of 8 octets and returns its length.</summary>
    public int Finish()
    {
        Pad(-Position & 7);
        return Position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Pad(int count)
    {
        if (count == 0) return;
        var pad = Reserve(count);
        pad.Clear();
        if (count > 1)
        {
            pad[0] = MobilityOptionType.PadN;
            pad[1] = (byte)(count - 2);
        }
    }

    /// <summary>Takes the next <paramref name="count"/> octets as they are, for a caller that writes a precomputed layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int count)
    {
        var end = Position + count;
        if (end > _destination.Length || end > MobilityOptionLayout.MaxLength)
            throw new ArgumentException(
                $"the encoded message needs more than {Math.Min(_destination.Length, MobilityOptionLayout.MaxLength)} bytes "
                + $"(destination is {_destination.Length}, a Mobility Header is at most {MobilityOptionLayout.MaxLength})",
                "destination");
        var span = _destination.Slice(Position, count);
        Position = end;
        return span;
    }
}
