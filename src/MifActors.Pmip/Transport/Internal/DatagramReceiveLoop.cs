using System.Net;
using System.Net.Sockets;

namespace MifActors.Pmip.Transport.Internal;

/// <summary>
/// The receiving half every socket transport shares: one loop per socket, started by the first
/// <see cref="IMobilityTransport.Start"/>, handing each datagram (sender, own copy of the bytes) to the latest receiver,
/// and stopped by <see cref="Dispose"/>, which also closes the socket. <see cref="UdpMobilityTransport"/> predates it
/// and still carries its own copy.
/// </summary>
internal sealed class DatagramReceiveLoop(Socket socket) : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Action<IPAddress, byte[]>? receiver;
    private Task? loop;

    /// <summary>Sets the receiver; a later call replaces it, as a restarted transport actor needs.</summary>
    public void Start(Action<IPAddress, byte[]> receive)
    {
        Volatile.Write(ref receiver, receive);
        loop ??= Task.Run(Run);
    }

    private async Task Run()
    {
        var buffer = new byte[65536];
        EndPoint anyone = socket.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(IPAddress.Any, 0)
            : new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anyone, stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier send can surface here; the socket is still good.
                continue;
            }

            var peer = ((IPEndPoint)result.RemoteEndPoint).Address;
            if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
            Volatile.Read(ref receiver)?.Invoke(peer, buffer[..result.ReceivedBytes]);
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
            // The loop ends by cancellation or a disposed socket; nothing in it is worth rethrowing at shutdown.
        }

        stopping.Dispose();
    }
}
