using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MifActors.Pmip.Transport.Internal;

namespace MifActors.Pmip.Transport;

/// <summary>
/// Mobility Header over UDP (port 5436 by default, what Wireshark's mip6 dissector decodes), IPv4 or IPv6. One
/// socket per node, and one thread that blocks in receive and runs the node's receiver on each datagram
/// (the receive loop it shares with <see cref="RawIPv6MobilityTransport"/>).
/// </summary>
public sealed class UdpMobilityTransport : IMobilityTransport
{
    private readonly Socket socket;
    private readonly ConcurrentDictionary<IPAddress, int> peerPorts = new();
    // Peer endpoints in the socket's own form, made once per peer: a send then allocates and serializes nothing.
    private readonly ConcurrentDictionary<IPAddress, SocketAddress> peerAddresses = new();
    private readonly int defaultPeerPort;
    private readonly DatagramReceiveLoop receiving;

    /// <param name="local">Address and port to bind; port 0 picks an ephemeral one (tests).</param>
    /// <param name="defaultPeerPort">Port peers listen on unless <see cref="AddPeer"/> says otherwise.</param>
    /// <param name="receiveBuffer">SO_RCVBUF in bytes (<c>udp-receive-buffer</c>); null keeps the kernel's default.</param>
    public UdpMobilityTransport(IPEndPoint local, int defaultPeerPort = 5436, int? receiveBuffer = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        this.defaultPeerPort = defaultPeerPort;
        socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (receiveBuffer is { } bytes) socket.ReceiveBufferSize = bytes;
        socket.Bind(local);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        receiving = new DatagramReceiveLoop(socket, "pmip-udp " + LocalEndPoint);
    }

    /// <summary>
    /// Binds <paramref name="local"/> on the configured <c>udp-port</c>, where peers are expected to listen too, with the
    /// configured <c>udp-receive-buffer</c>.
    /// </summary>
    public static UdpMobilityTransport Bind(IPAddress local, PmipSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new UdpMobilityTransport(new IPEndPoint(local, settings.UdpPort), settings.UdpPort, settings.UdpReceiveBuffer);
    }

    public IPEndPoint LocalEndPoint { get; }

    public IPAddress LocalAddress => LocalEndPoint.Address;

    /// <summary>Sends to <paramref name="peer"/> on <paramref name="port"/> instead of the default port.</summary>
    public void AddPeer(IPAddress peer, int port)
    {
        peerPorts[peer] = port;
        peerAddresses.TryRemove(peer, out _);
    }

    public void Start(Action<IPEndPoint, byte[]> receive) => receiving.Start(receive);

    public IPEndPoint PeerEndPoint(IPAddress peer) => new(peer, peerPorts.GetValueOrDefault(peer, defaultPeerPort));

    public void Send(IPAddress peer, ReadOnlySpan<byte> datagram)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, peerAddresses.GetOrAdd(peer, PeerAddress));
        }
        catch (SocketException)
        {
            // A datagram that cannot leave is a lost datagram; retransmission and heartbeats deal with loss.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private SocketAddress PeerAddress(IPAddress peer)
    {
        // An IPv6 socket reaches IPv4 peers through mapped addresses.
        var address = socket.AddressFamily == AddressFamily.InterNetworkV6 && peer.AddressFamily == AddressFamily.InterNetwork ? peer.MapToIPv6() : peer;
        return new IPEndPoint(address, peerPorts.GetValueOrDefault(peer, defaultPeerPort)).Serialize();
    }

    public void Dispose() => receiving.Dispose();
}
