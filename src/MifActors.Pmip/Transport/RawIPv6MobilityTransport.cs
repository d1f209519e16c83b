using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MifActors.Pmip.Transport.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Transport;

/// <summary>
/// Mobility Header directly over IPv6, next header 135 (RFC 6275 §6.1), on a raw socket: what a PMIPv6 deployment
/// without UDP encapsulation sends. Opening one needs CAP_NET_RAW (root, or <c>setcap cap_net_raw+ep</c>); without it
/// the constructor throws <see cref="RawSocketPermissionException"/>. Otherwise it behaves as
/// <see cref="UdpMobilityTransport"/> does: one socket per node, a receive loop handing each message to the node's
/// transport actor, and a lost send is just lost.
/// <para>
/// The datagram is the Mobility Header itself: Linux strips the IPv6 header from what a raw IPv6 socket receives and
/// writes it in front of what it sends. The checksum is left to the transport actor, as on UDP (see
/// docs/pmip-wire.md): the socket is told not to compute or check it, so a bad checksum reaches the node and is
/// counted there instead of vanishing in the kernel.
/// </para>
/// </summary>
public sealed class RawIPv6MobilityTransport : IMobilityTransport
{
    private readonly Socket socket;
    private readonly DatagramReceiveLoop receiving;

    /// <param name="local">
    /// This node's IPv6 address, bound so that the kernel sends from it: the checksum's pseudo-header is computed over
    /// it, so it cannot be the unspecified address.
    /// </param>
    /// <exception cref="RawSocketPermissionException">The process may not open raw sockets.</exception>
    public RawIPv6MobilityTransport(IPAddress local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (local.AddressFamily != AddressFamily.InterNetworkV6 || local.IsIPv4MappedToIPv6)
            throw new ArgumentException(
                $"raw Mobility Header transport is IPv6 only (next header 135), but the local address is {local}; use UDP for IPv4 peers",
                nameof(local));
        if (local.Equals(IPAddress.IPv6Any))
            throw new ArgumentException(
                "raw Mobility Header transport needs this node's own address, not ::, because the checksum covers it", nameof(local));

        socket = RawIPv6Socket.TryOpen(MobilityHeaderChecksum.NextHeader, out var errno) ?? throw (RawIPv6Socket.IsPermissionDenied(errno)
            ? new RawSocketPermissionException(local, Marshal.GetPInvokeErrorMessage(errno))
            : new NotSupportedException(
                $"this system cannot open a raw IPv6 socket for next header 135 ({Marshal.GetPInvokeErrorMessage(errno)}); use the UDP transport"));

        try
        {
            // Linux computes and checks the checksum at offset 4 by default for protocol 135; -1 turns that off.
            RawIPv6Socket.SetChecksumOffset(socket, -1);
            socket.Bind(new IPEndPoint(local, 0));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        LocalAddress = local;
        receiving = new DatagramReceiveLoop(socket, "pmip-raw " + local);
    }

    public IPAddress LocalAddress { get; }

    public void Start(Action<IPEndPoint, byte[]> receive) => receiving.Start(receive);

    public IPEndPoint PeerEndPoint(IPAddress peer) => new(peer, 0);

    public void Send(IPAddress peer, ReadOnlySpan<byte> datagram)
    {
        // An IPv4 peer cannot be reached over next header 135: the datagram is lost, as one to an unreachable peer.
        if (peer.AddressFamily != AddressFamily.InterNetworkV6) return;
        try
        {
            socket.SendTo(datagram, SocketFlags.None, new IPEndPoint(peer, 0));
        }
        catch (SocketException)
        {
            // Lost on the way out: retransmission and heartbeats deal with loss.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => receiving.Dispose();
}

/// <summary>The process may not open a raw IPv6 socket: it lacks CAP_NET_RAW.</summary>
public sealed class RawSocketPermissionException : UnauthorizedAccessException
{
    public RawSocketPermissionException(IPAddress local, string reason)
        : base($"cannot open a raw IPv6 socket for the Mobility Header (next header 135) on {local}: {reason}. "
            + "Raw sockets need CAP_NET_RAW: run the node as root, grant it with `setcap cap_net_raw+ep` on the executable "
            + "or AmbientCapabilities=CAP_NET_RAW in its systemd unit, or use the UDP transport (port 5436).")
    {
    }
}
