using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MifActors.Pmip.Transport;

/// <summary>
/// Mobility Header over UDP (port 5436 by default, what Wireshark's mip6 dissector decodes), IPv4 or IPv6. One
/// socket per node, and one thread that blocks in receive and runs the node's receiver on each datagram: the kernel
/// wakes that thread directly, where an async receive loop would go through the epoll thread and then a pool thread.
/// </summary>
public sealed class UdpMobilityTransport : IMobilityTransport
{
    private readonly Socket socket;
    private readonly ConcurrentDictionary<IPAddress, int> peerPorts = new();
    // Peer endpoints in the socket's own form, made once per peer: a send then allocates and serializes nothing.
    private readonly ConcurrentDictionary<IPAddress, SocketAddress> peerAddresses = new();
    private readonly int defaultPeerPort;
    private volatile bool stopping;
    private Action<IPAddress, byte[]>? receiver;
    private Thread? loop;

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

    public void Start(Action<IPAddress, byte[]> receive)
    {
        Volatile.Write(ref receiver, receive);
        lock (peerPorts)
        {
            if (loop is not null) return;
            loop = new Thread(ReceiveLoop) { IsBackground = true, Name = "pmip-udp " + LocalEndPoint };
            loop.Start();
        }
    }

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

    private void ReceiveLoop()
    {
        var buffer = new byte[65536];
        var from = new SocketAddress(socket.AddressFamily);
        var template = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!stopping)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (stopping)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send shows up here on some stacks; keep listening.
                continue;
            }

            // A receive woken by Dispose returns no datagram and no sender address.
            if (stopping) return;
            try
            {
                var peer = ((IPEndPoint)template.Create(from)).Address;
                if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
                Volatile.Read(ref receiver)?.Invoke(peer, buffer.AsSpan(0, received).ToArray());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The receiver counts and logs what it drops; a datagram that still breaks it is lost, not the node.
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        // Shutdown wakes a thread blocked in receive; closing alone does not on every platform.
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
        loop?.Join(TimeSpan.FromSeconds(5));
    }
}
