using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>Writes the few rtnetlink requests the backend sends: dumps, and adding or deleting one route.</summary>
internal static class RtnetlinkRequest
{
    public const int MaximumLength = Rtnetlink.HeaderLength + Rtnetlink.RouteInfoLength + 4 * (4 + 16);

    /// <summary>A dump of every link (RTM_GETLINK), address (RTM_GETADDR) or route (RTM_GETROUTE) of both families.</summary>
    public static int WriteDump(Span<byte> buffer, ushort type, uint sequence)
    {
        var fixedLength = type switch
        {
            Rtnetlink.GetLink => Rtnetlink.LinkInfoLength,
            Rtnetlink.GetAddress => Rtnetlink.AddressInfoLength,
            Rtnetlink.GetRoute => Rtnetlink.RouteInfoLength,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a dump this backend sends"),
        };
        var length = Rtnetlink.HeaderLength + fixedLength;
        buffer[..length].Clear();   // family AF_UNSPEC: both IPv4 and IPv6
        WriteHeader(buffer, length, type, Rtnetlink.FlagRequest | Rtnetlink.FlagDump, sequence);
        return length;
    }

    /// <summary>
    /// RTM_NEWROUTE (create, fail if it exists) or RTM_DELROUTE for one route in the main table, tagged with
    /// <paramref name="protocol"/> so that routes left by a killed process can be found and removed. A unicast route
    /// goes out of <paramref name="outputInterface"/>, through <paramref name="gateway"/> or on-link; an unreachable
    /// one (<paramref name="unreachable"/>) has neither.
    /// </summary>
    public static int WriteRoute(
        Span<byte> buffer, bool add, uint sequence, IPAddress destination, byte destinationLength,
        int outputInterface, IPAddress? gateway, byte protocol, uint priority, bool unreachable = false)
    {
        var family = destination.AddressFamily == AddressFamily.InterNetwork ? (byte)2 : (byte)10;
        var size = family == 2 ? 4 : 16;
        var length = Rtnetlink.HeaderLength + Rtnetlink.RouteInfoLength;
        buffer[..MaximumLength].Clear();
        var body = buffer[Rtnetlink.HeaderLength..];
        body[0] = family;
        body[1] = destinationLength;
        body[4] = Rtnetlink.TableMain;
        body[5] = protocol;
        // A gateway makes the route universe scope; a route straight onto the link is link scope.
        body[6] = gateway is null && !unreachable ? Rtnetlink.ScopeLink : Rtnetlink.ScopeUniverse;
        body[7] = unreachable ? Rtnetlink.TypeUnreachable : Rtnetlink.TypeUnicast;
        length = WriteAddressAttribute(buffer, length, Rtnetlink.RouteDestination, destination, size);
        if (outputInterface != 0) length = WriteUInt32Attribute(buffer, length, Rtnetlink.RouteOutputInterface, (uint)outputInterface);
        if (gateway is not null) length = WriteAddressAttribute(buffer, length, Rtnetlink.RouteGateway, gateway, size);
        if (priority != 0) length = WriteUInt32Attribute(buffer, length, Rtnetlink.RoutePriority, priority);
        var flags = add
            ? (ushort)(Rtnetlink.FlagRequest | Rtnetlink.FlagAck | Rtnetlink.FlagCreate | Rtnetlink.FlagExclusive)
            : (ushort)(Rtnetlink.FlagRequest | Rtnetlink.FlagAck);
        WriteHeader(buffer, length, add ? Rtnetlink.NewRoute : Rtnetlink.DeleteRoute, flags, sequence);
        return length;
    }

    /// <summary>RTM_NEWLINK that sets one link administratively up (IFF_UP in both ifi_flags and ifi_change), as <c>ip link set up</c>.</summary>
    public static int WriteLinkUp(Span<byte> buffer, uint sequence, int index)
    {
        var length = Rtnetlink.HeaderLength + Rtnetlink.LinkInfoLength;
        buffer[..length].Clear();
        var body = buffer[Rtnetlink.HeaderLength..];
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(body[8..], Rtnetlink.InterfaceUp);
        BinaryPrimitives.WriteUInt32LittleEndian(body[12..], Rtnetlink.InterfaceUp);
        WriteHeader(buffer, length, Rtnetlink.NewLink, Rtnetlink.FlagRequest | Rtnetlink.FlagAck, sequence);
        return length;
    }

    private static void WriteHeader(Span<byte> buffer, int length, ushort type, ushort flags, uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], 0);   // the kernel fills in our port id
    }

    private static int WriteAddressAttribute(Span<byte> buffer, int at, ushort type, IPAddress address, int size)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[at..], (ushort)(4 + size));
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[(at + 2)..], type);
        if (!address.TryWriteBytes(buffer.Slice(at + 4, size), out _))
            throw new ArgumentException($"{address} is not a {size * 8}-bit address", nameof(address));
        return at + 4 + size;
    }

    private static int WriteUInt32Attribute(Span<byte> buffer, int at, ushort type, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[at..], 8);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[(at + 2)..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(at + 4)..], value);
        return at + 8;
    }
}
