using System.Buffers.Binary;

namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>
/// Walks the netlink messages of one datagram in a single pass (NLMSG_OK/NLMSG_NEXT of linux/netlink.h, with every
/// length checked). Netlink is host byte order; every machine this runs on is little-endian, which the constructor
/// of <see cref="NetlinkSocket"/> checks once.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _position;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _datagram = datagram;

    /// <summary>Offset of the current message's header in the datagram.</summary>
    public int MessageOffset { get; private set; }

    public ushort Type { get; private set; }

    public ushort Flags { get; private set; }

    public uint Sequence { get; private set; }

    public uint PortId { get; private set; }

    /// <summary>The current message after its 16-byte header.</summary>
    public ReadOnlySpan<byte> Payload { get; private set; }

    /// <summary>
    /// Moves to the next message. False at the end of the datagram, or with <paramref name="error"/> set when a
    /// header is cut or its length is impossible; the rest of the datagram is then unreadable.
    /// </summary>
    public bool MoveNext(out NetlinkError error)
    {
        error = default;
        var left = _datagram.Length - _position;
        if (left == 0) return false;
        if (left < Rtnetlink.HeaderLength)
        {
            error = new(NetlinkErrorCode.TruncatedHeader, _position, left);
            _position = _datagram.Length;
            return false;
        }

        var header = _datagram.Slice(_position, Rtnetlink.HeaderLength);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length < Rtnetlink.HeaderLength)
        {
            error = new(NetlinkErrorCode.MessageLengthTooShort, _position, (int)length);
            _position = _datagram.Length;
            return false;
        }

        if (length > (uint)left)
        {
            error = new(NetlinkErrorCode.MessageLengthTooLong, _position, (int)Math.Min(length, int.MaxValue), left);
            _position = _datagram.Length;
            return false;
        }

        MessageOffset = _position;
        Type = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        Flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        Sequence = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        PortId = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        Payload = _datagram.Slice(_position + Rtnetlink.HeaderLength, (int)length - Rtnetlink.HeaderLength);
        // NLMSG_ALIGN: the next message starts on a 4-byte boundary; the last one may omit its padding.
        _position = Math.Min(_datagram.Length, _position + (int)((length + 3) & ~3u));
        return true;
    }
}

/// <summary>
/// Walks the <c>struct rtattr</c> list that follows a message's fixed part (RTA_OK/RTA_NEXT, every length checked).
/// Offsets are reported from the start of the message's payload plus <c>baseOffset</c>.
/// </summary>
internal ref struct NetlinkAttributeReader
{
    private readonly ReadOnlySpan<byte> _attributes;
    private readonly int _baseOffset;
    private int _position;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes, int baseOffset)
    {
        _attributes = attributes;
        _baseOffset = baseOffset;
    }

    /// <summary>Attribute type without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits.</summary>
    public ushort Type { get; private set; }

    /// <summary>Offset of the current attribute's header, as reported in errors.</summary>
    public int Offset { get; private set; }

    public ReadOnlySpan<byte> Data { get; private set; }

    public bool MoveNext(out NetlinkError error)
    {
        error = default;
        var left = _attributes.Length - _position;
        if (left == 0) return false;
        if (left < 4)
        {
            error = new(NetlinkErrorCode.TruncatedAttribute, _baseOffset + _position, left);
            _position = _attributes.Length;
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(_attributes[_position..]);
        if (length < 4 || length > left)
        {
            error = new(NetlinkErrorCode.BadAttributeLength, _baseOffset + _position, length, left);
            _position = _attributes.Length;
            return false;
        }

        Offset = _baseOffset + _position;
        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_attributes[(_position + 2)..]) & 0x3FFF);
        Data = _attributes.Slice(_position + 4, length - 4);
        _position = Math.Min(_attributes.Length, _position + ((length + 3) & ~3));
        return true;
    }
}
