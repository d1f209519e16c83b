using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MifActors.Testing.Namespaces;

/// <summary>
/// Sends router advertisements radvd cannot (radvd 2.19 has no RFC 8801 PvD ID option) from a raw ICMPv6 socket
/// inside a network namespace, to all nodes (ff02::1) on one interface, with hop limit 255 as RFC 4861 requires.
/// The kernel picks the interface's link-local address as source and fills in the checksum.
/// </summary>
public static class RouterAdvertisementSender
{
    /// <param name="space">The namespace of the router.</param>
    /// <param name="interfaceName">The router's interface onto the link.</param>
    /// <param name="advertisement">The ICMPv6 message, from <see cref="RouterAdvertisementBuilder"/>.</param>
    /// <param name="hopLimit">255 as RFC 4861 requires; anything else is what an off-link sender would arrive with.</param>
    public static void Send(NetworkNamespace space, string interfaceName, byte[] advertisement, int hopLimit = 255) =>
        space.Run(() =>
        {
            var index = (int)if_nametoindex(interfaceName);
            if (index == 0) throw new InvalidOperationException($"no interface {interfaceName} in {space.Name}");
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, index);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, hopLimit);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IpTimeToLive, hopLimit);
            socket.SendTo(advertisement, new IPEndPoint(new IPAddress(IPAddress.Parse("ff02::1").GetAddressBytes(), index), 0));
        });

    [DllImport("libc", SetLastError = true)]
    private static extern uint if_nametoindex(string name);
}
