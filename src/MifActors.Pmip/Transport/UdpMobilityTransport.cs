using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MifActors.Pmip.Transport;

/// <summary>
/// Mobility Header over UDP (port 5436 by default, what Wireshark's mip6 dissector decodes), IPv4 or IPv6. One
/// socket per node; a receive loop hands each datagram to the node's transport actor.
/// </summary>
public sealed class UdpMobilityTransport : IMobilityTransport
{
    private readonly Socket socket;
    private readonly ConcurrentDictionary<IPAddress, int> peerPorts = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly int defaultPeerPort;
    private Action<IPAddress, byte[]>? receiver;
    private Task? loop;

    /// <param name="local">Address and port to bind; port 0 picks an ephemeral one (tests).</param>
    /// <param name="defaultPeerPort">Port peers listen on unless <see cref="AddPeer"/> says otherwise.</param>
    public UdpMobilityTransport(IPEndPoint local, int defaultPeerPort = 5436)
    {
        ArgumentNullException.ThrowIfNull(local);
        this.defaultPeerPort = defaultPeerPort;
        socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(local);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Binds <paramref name="local"/> on the configured <c>udp-port</c>, where peers are expected to listen too.</summary>
    public static UdpMobilityTransport Bind(IPAddress local, PmipSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new UdpMobilityTransport(new IPEndPoint(local, settings.UdpPort), settings.UdpPort);
    }

    public IPEndPoint LocalEndPoint { get; }

    public IPAddress LocalAddress => LocalEndPoint.Address;

    /// <summary>Sends to <paramref name="peer"/> on <paramref name="port"/> instead of the default port.</summary>
    public void AddPeer(IPAddress peer, int port) => peerPorts[peer] = port;

    public void Start(Action<IPAddress, byte[]> receive)
    {
        Volatile.Write(ref receiver, receive);
        loop ??= Task.Run(ReceiveLoop);
    }

    public void Send(IPAddress peer, ReadOnlySpan<byte> datagram)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, new IPEndPoint(peer, peerPorts.GetValueOrDefault(peer, defaultPeerPort)));
        }
        catch (SocketException)
        {
            // A datagram that cannot leave is a lost datagram; retransmission and heartbeats deal with loss.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send shows up here on some stacks; keep listening.
                continue;
            }

            var from = ((IPEndPoint)result.RemoteEndPoint).Address;
            if (from.IsIPv4MappedToIPv6) from = from.MapToIPv4();
            Volatile.Read(ref receiver)?.Invoke(from, buffer.AsSpan(0, result.ReceivedBytes).ToArray());
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        socket.Dispose();
        try
        {
            loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stopping.Dispose();
    }
}
