using System.Net;
using System.Net.Sockets;

namespace MifActors.Pmip.Transport.Internal;

/// <summary>
/// The receiving half every socket transport shares: one thread per socket, blocked in receive, that runs the
/// latest receiver on each datagram (sender, own copy of the bytes). The kernel wakes that thread directly, where an
/// async receive would go through the epoll thread and then a pool thread. Started by the first
/// <see cref="IMobilityTransport.Start"/>; <see cref="Dispose"/> wakes the thread, closes the socket and waits for it.
/// </summary>
internal sealed class DatagramReceiveLoop(Socket socket, string name) : IDisposable
{
    private readonly Lock gate = new();
    private volatile bool stopping;
    private Action<IPEndPoint, byte[]>? receiver;
    private Thread? thread;

    /// <summary>Sets the receiver; a later call replaces it, as a restarted transport actor needs.</summary>
    public void Start(Action<IPEndPoint, byte[]> receive)
    {
        Volatile.Write(ref receiver, receive);
        lock (gate)
        {
            if (thread is not null || stopping) return;
            thread = new Thread(Run) { IsBackground = true, Name = name };
            thread.Start();
        }
    }

    private void Run()
    {
        var buffer = new byte[65536];
        var from = new SocketAddress(socket.AddressFamily);
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
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
                // An ICMP error for an earlier send can surface here; the socket is still good.
                continue;
            }

            // A receive woken by Dispose returns no datagram and no sender address.
            if (stopping) return;
            try
            {
                var peer = (IPEndPoint)template.Create(from);
                if (peer.Address.IsIPv4MappedToIPv6) peer = new IPEndPoint(peer.Address.MapToIPv4(), peer.Port);
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
        Thread? running;
        lock (gate)
        {
            stopping = true;
            running = thread;
        }

        // Shutdown wakes a thread blocked in receive (Linux does so even on an unconnected datagram socket, while
        // reporting ENOTCONN); closing alone does not on every platform.
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
        running?.Join(TimeSpan.FromSeconds(5));
    }
}
