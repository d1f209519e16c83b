using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;

namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>
/// Decodes the payload of one rtnetlink message (after its nlmsghdr) into a <see cref="KernelLink"/>,
/// <see cref="KernelAddress"/> or <see cref="KernelRoute"/>: one pass over the attributes, nothing allocated until the
/// message is known to be well formed. Offsets in errors count from the message's header.
/// </summary>
internal static class RtnetlinkDecoder
{
    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const int Base = Rtnetlink.HeaderLength;

    /// <summary>Decodes RTM_NEWLINK / RTM_DELLINK.</summary>
    public static NetlinkError DecodeLink(ReadOnlySpan<byte> payload, ushort type, out KernelLink? link)
    {
        link = null;
        if (payload.Length < Rtnetlink.LinkInfoLength)
            return new(NetlinkErrorCode.TruncatedBody, Base, type, payload.Length);

        var linkType = BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]);
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        ReadOnlySpan<byte> name = default;
        var nameOffset = -1;
        byte operationalState = 0;
        var mtu = 0;
        var attributes = new NetlinkAttributeReader(payload[Rtnetlink.LinkInfoLength..], Base + Rtnetlink.LinkInfoLength);
        NetlinkError error;
        while (attributes.MoveNext(out error))
        {
            switch (attributes.Type)
            {
                case Rtnetlink.LinkName:
                    name = attributes.Data;
                    nameOffset = attributes.Offset;
                    break;
                case Rtnetlink.LinkMtu:
                    if (!TryReadUInt32(ref attributes, out var value, out error)) return error;
                    mtu = (int)Math.Min(value, int.MaxValue);
                    break;
                case Rtnetlink.LinkOperationalState:
                    if (attributes.Data.Length != 1) return SizeError(ref attributes);
                    operationalState = attributes.Data[0];
                    break;
            }
        }

        if (error.IsError) return error;
        if (nameOffset < 0) return new(NetlinkErrorCode.MissingAttribute, Base, Rtnetlink.LinkName);
        if (!TryDecodeInterfaceName(name, out var decoded)) return new(NetlinkErrorCode.BadInterfaceName, nameOffset);
        link = new KernelLink(index, decoded, linkType, flags, operationalState, mtu);
        return default;
    }

    /// <summary>Decodes RTM_NEWADDR / RTM_DELADDR; <paramref name="address"/> stays null for families other than IPv4 and IPv6.</summary>
    public static NetlinkError DecodeAddress(ReadOnlySpan<byte> payload, ushort type, out KernelAddress? address)
    {
        address = null;
        if (payload.Length < Rtnetlink.AddressInfoLength)
            return new(NetlinkErrorCode.TruncatedBody, Base, type, payload.Length);

        int family = payload[0];
        var prefixLength = payload[1];
        uint flags = payload[2];
        var scope = payload[3];
        var index = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
        var size = AddressSize(family);
        if (size == 0) return default;
        if (prefixLength > size * 8) return new(NetlinkErrorCode.BadPrefixLength, Base + 1, prefixLength, size * 8);

        ReadOnlySpan<byte> local = default, peer = default;
        uint preferred = Rtnetlink.InfiniteLifetime, valid = Rtnetlink.InfiniteLifetime;
        var attributes = new NetlinkAttributeReader(payload[Rtnetlink.AddressInfoLength..], Base + Rtnetlink.AddressInfoLength);
        NetlinkError error;
        while (attributes.MoveNext(out error))
        {
            switch (attributes.Type)
            {
                case Rtnetlink.AddressLocal:
                case Rtnetlink.AddressAddress:
                    if (attributes.Data.Length != size)
                        return new(NetlinkErrorCode.BadAddressLength, attributes.Offset, attributes.Type, attributes.Data.Length);
                    if (attributes.Type == Rtnetlink.AddressLocal) local = attributes.Data;
                    else peer = attributes.Data;
                    break;
                case Rtnetlink.AddressFlags:
                    // IFA_FLAGS extends the u8 ifa_flags; when present it replaces it (linux/if_addr.h).
                    if (!TryReadUInt32(ref attributes, out flags, out error)) return error;
                    break;
                case Rtnetlink.AddressCacheInfo:
                    if (attributes.Data.Length != 16) return SizeError(ref attributes);
                    preferred = BinaryPrimitives.ReadUInt32LittleEndian(attributes.Data);
                    valid = BinaryPrimitives.ReadUInt32LittleEndian(attributes.Data[4..]);
                    break;
            }
        }

        if (error.IsError) return error;
        // On point-to-point links IFA_ADDRESS is the peer and IFA_LOCAL our own; elsewhere both are ours.
        var own = local.IsEmpty ? peer : local;
        if (own.IsEmpty) return new(NetlinkErrorCode.MissingAttribute, Base, Rtnetlink.AddressLocal);
        address = new KernelAddress(index, CreateAddress(own, index), prefixLength, flags, scope, preferred, valid);
        return default;
    }

    /// <summary>Decodes RTM_NEWROUTE / RTM_DELROUTE; <paramref name="route"/> stays null for families other than IPv4 and IPv6.</summary>
    public static NetlinkError DecodeRoute(ReadOnlySpan<byte> payload, ushort type, out KernelRoute? route)
    {
        route = null;
        if (payload.Length < Rtnetlink.RouteInfoLength)
            return new(NetlinkErrorCode.TruncatedBody, Base, type, payload.Length);

        int family = payload[0];
        var destinationLength = payload[1];
        uint table = payload[4];
        var protocol = payload[5];
        var scope = payload[6];
        var routeType = payload[7];
        var size = AddressSize(family);
        if (size == 0) return default;
        if (destinationLength > size * 8) return new(NetlinkErrorCode.BadPrefixLength, Base + 1, destinationLength, size * 8);

        ReadOnlySpan<byte> destination = default, gateway = default, preferredSource = default;
        var outputInterface = 0;
        uint priority = 0, expires = 0;
        byte preference = 0;
        var attributes = new NetlinkAttributeReader(payload[Rtnetlink.RouteInfoLength..], Base + Rtnetlink.RouteInfoLength);
        NetlinkError error;
        while (attributes.MoveNext(out error))
        {
            uint value;
            switch (attributes.Type)
            {
                case Rtnetlink.RouteDestination:
                case Rtnetlink.RouteGateway:
                case Rtnetlink.RoutePreferredSource:
                    if (attributes.Data.Length != size)
                        return new(NetlinkErrorCode.BadAddressLength, attributes.Offset, attributes.Type, attributes.Data.Length);
                    if (attributes.Type == Rtnetlink.RouteDestination) destination = attributes.Data;
                    else if (attributes.Type == Rtnetlink.RouteGateway) gateway = attributes.Data;
                    else preferredSource = attributes.Data;
                    break;
                case Rtnetlink.RouteOutputInterface:
                    if (!TryReadUInt32(ref attributes, out value, out error)) return error;
                    outputInterface = (int)value;
                    break;
                case Rtnetlink.RoutePriority:
                    if (!TryReadUInt32(ref attributes, out priority, out error)) return error;
                    break;
                case Rtnetlink.RouteTable:
                    // RTA_TABLE carries table ids above 255, which rtm_table cannot.
                    if (!TryReadUInt32(ref attributes, out table, out error)) return error;
                    break;
                case Rtnetlink.RoutePreference:
                    if (attributes.Data.Length != 1) return SizeError(ref attributes);
                    preference = attributes.Data[0];
                    break;
                case Rtnetlink.RouteExpires:
                    if (!TryReadUInt32(ref attributes, out expires, out error)) return error;
                    break;
            }
        }

        if (error.IsError) return error;
        var addressFamily = family == AfInet ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        route = new KernelRoute(
            addressFamily,
            destination.IsEmpty ? Any(addressFamily) : new IPAddress(destination),
            destinationLength,
            gateway.IsEmpty ? null : CreateAddress(gateway, outputInterface),
            outputInterface,
            table,
            protocol,
            scope,
            routeType,
            priority,
            preferredSource.IsEmpty ? null : new IPAddress(preferredSource),
            preference,
            expires);
        return default;
    }

    /// <summary>
    /// Decodes NLMSG_ERROR (struct nlmsgerr; the socket sets NETLINK_CAP_ACK, so only the request's header is echoed,
    /// then the NETLINK_EXT_ACK attributes): errno 0 is an acknowledgement.
    /// </summary>
    public static NetlinkError DecodeError(ReadOnlySpan<byte> payload, ushort flags, out int errno, out uint requestSequence, out string? explanation)
    {
        errno = 0;
        requestSequence = 0;
        explanation = null;
        const int fixedLength = 4 + Rtnetlink.HeaderLength;
        if (payload.Length < fixedLength) return new(NetlinkErrorCode.TruncatedBody, Base, Rtnetlink.Error, payload.Length);

        errno = -BinaryPrimitives.ReadInt32LittleEndian(payload);
        requestSequence = BinaryPrimitives.ReadUInt32LittleEndian(payload[(4 + 8)..]);
        if ((flags & Rtnetlink.FlagAckTlvs) == 0) return default;

        var attributes = new NetlinkAttributeReader(payload[fixedLength..], Base + fixedLength);
        NetlinkError error;
        while (attributes.MoveNext(out error))
        {
            if (attributes.Type != Rtnetlink.ErrorAttributeMessage) continue;
            var text = attributes.Data;
            var end = text.IndexOf((byte)0);
            if (end >= 0) text = text[..end];
            if (Utf8.IsValid(text)) explanation = Encoding.UTF8.GetString(text);
        }

        return error;
    }

    private static int AddressSize(int family) => family switch
    {
        AfInet => 4,
        AfInet6 => 16,
        _ => 0,
    };

    // Link-local IPv6 addresses carry their interface as scope, so that an endpoint built from one reaches the right
    // link. An index the kernel never gives (0, or above int.MaxValue) leaves the address unscoped.
    private static IPAddress CreateAddress(ReadOnlySpan<byte> bytes, int interfaceIndex) =>
        bytes.Length == 16 && bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80 && interfaceIndex > 0
            ? new IPAddress(bytes, interfaceIndex)
            : new IPAddress(bytes);

    private static IPAddress Any(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;

    private static bool TryReadUInt32(ref NetlinkAttributeReader attributes, out uint value, out NetlinkError error)
    {
        if (attributes.Data.Length != 4)
        {
            value = 0;
            error = SizeError(ref attributes);
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(attributes.Data);
        error = default;
        return true;
    }

    private static NetlinkError SizeError(ref NetlinkAttributeReader attributes) =>
        new(NetlinkErrorCode.BadAttributeSize, attributes.Offset, attributes.Type, attributes.Data.Length);

    // dev_valid_name in net/core/dev.c: 1 to 15 bytes, none of '/', ':' or white space.
    private static bool TryDecodeInterfaceName(ReadOnlySpan<byte> attribute, out string name)
    {
        name = "";
        var end = attribute.IndexOf((byte)0);
        if (end <= 0 || end > 15) return false;
        var bytes = attribute[..end];
        if (bytes.IndexOfAny("/: \t\n\v\f\r"u8) >= 0 || !Utf8.IsValid(bytes)) return false;
        name = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
