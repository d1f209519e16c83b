using System.Runtime.CompilerServices;

namespace MifActors.Pmip.Wire.Internal;

/// <summary>
/// Walks the option TLVs of one Mobility Header in a single pass, skipping and checking Pad1/PadN.
/// Offsets are from the start of the Mobility Header, the reference point of the alignment rules.
/// </summary>
internal ref struct MobilityOptionReader
{
    private readonly ReadOnlySpan<byte> _header;
    private int _position;

    public MobilityOptionReader(ReadOnlySpan<byte> header, int start)
    {
        _header = header;
        _position = start;
    }

    /// <summary>Offset of the current option's type octet.</summary>
    public int OptionOffset { get; private set; }

    public byte Type { get; private set; }

    /// <summary>The current option's data, after its type and length octets.</summary>
    public ReadOnlySpan<byte> Data { get; private set; }

    /// <summary>
    /// Moves to the next option that is not padding. False at the end of the message, or with
    /// <paramref name="error"/> set when the option or its padding is malformed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MoveNext(out MobilityHeaderError error)
    {
        error = default;
        while (_position < _header.Length)
        {
            var offset = _position;
            var type = _header[offset];
            if (type == MobilityOptionType.Pad1)
            {
                _position++;
                continue;
            }

            if (offset + 1 >= _header.Length)
            {
                error = new(MobilityHeaderErrorCode.OptionTruncated, offset, -1);
                return false;
            }

            int length = _header[offset + 1];
            var left = _header.Length - offset - 2;
            if (length > left)
            {
                error = new(MobilityHeaderErrorCode.OptionTruncated, offset, length, left);
                return false;
            }

            var data = _header.Slice(offset + 2, length);
            _position = offset + 2 + length;
            if (type == MobilityOptionType.PadN)
            {
                // Most PadN here carry 0 to 2 octets: skip the call for the common empty one.
                if (length != 0 && data.ContainsAnyExcept((byte)0))
                {
                    error = new(MobilityHeaderErrorCode.BadPadding, offset);
                    return false;
                }

                continue;
            }

            OptionOffset = offset;
            Type = type;
            Data = data;
            return true;
        }

        return false;
    }

    /// <summary>Checks the current option's alignment and exact length; sets <paramref name="error"/> when either is wrong.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Check(int alignment, int length, out MobilityHeaderError error)
    {
        if (!MobilityOptionLayout.IsAligned(OptionOffset, alignment))
        {
            error = new(MobilityHeaderErrorCode.MisalignedOption, OptionOffset, Type, alignment);
            return false;
        }

        if (length >= 0 && Data.Length != length)
        {
            error = new(MobilityHeaderErrorCode.BadOptionLength, OptionOffset, Type, Data.Length);
            return false;
        }

        error = default;
        return true;
    }
}
