using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>
/// An <c>AF_NETLINK</c>/<c>NETLINK_ROUTE</c> socket. .NET's <see cref="Socket"/> constructor refuses AF_NETLINK (its
/// address-family table has no entry: EAFNOSUPPORT) and its <see cref="System.Net.SocketAddress"/> cannot hold
/// family 16 (PlatformNotSupportedException), so libc <c>socket()</c> and <c>bind()</c> (a zeroed
/// <c>sockaddr_nl</c>: the kernel picks our port id; without a bind, joined groups deliver nothing, as measured on
/// 6.18) make the descriptor, and everything after that is .NET's: groups are joined with
/// <see cref="Socket.SetRawSocketOption"/>, requests leave with <see cref="Socket.Send(ReadOnlySpan{byte})"/> (to the
/// kernel, port 0), and replies and events arrive through .NET's epoll engine.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    private const int SocketTypeRaw = 3;
    private const int CloseOnExec = 0x80000;
    private const int SolSocket = 1;
    private const int SoReceiveBufferForce = 33;
    private const int CapAck = 10;

    private readonly Socket _socket;

    private NetlinkSocket(Socket socket) => _socket = socket;

    /// <summary>
    /// Opens a socket in the calling thread's network namespace, joined to <paramref name="groups"/> (RTNLGRP_*).
    /// </summary>
    public static NetlinkSocket Open(ReadOnlySpan<int> groups, int receiveBufferBytes)
    {
        // Netlink is host byte order; the decoders read little-endian.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the Linux backend reads netlink as little-endian");
        var descriptor = socket(Rtnetlink.AddressFamilyNetlink, SocketTypeRaw | CloseOnExec, Rtnetlink.ProtocolRoute);
        if (descriptor < 0)
            throw Failure("opening a NETLINK_ROUTE socket", Marshal.GetLastPInvokeError());
        var handle = new SafeSocketHandle(descriptor, ownsHandle: true);
        // struct sockaddr_nl: family, pad, pid 0 (the kernel assigns one), groups 0 (joined below, past the first 32).
        var address = new byte[12];
        address[0] = Rtnetlink.AddressFamilyNetlink;
        if (bind(handle, address, address.Length) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw Failure("binding a NETLINK_ROUTE socket", errno);
        }

        var socketObject = new Socket(handle);
        try
        {
            Span<byte> one = [1, 0, 0, 0];
            // Acknowledgements echo only our request's header, followed by the kernel's explanation of an error.
            socketObject.SetRawSocketOption(Rtnetlink.SolNetlink, CapAck, one);
            socketObject.SetRawSocketOption(Rtnetlink.SolNetlink, Rtnetlink.ExtendedAck, one);
            SetReceiveBuffer(socketObject, receiveBufferBytes);
            Span<byte> group = stackalloc byte[4];
            foreach (var number in groups)
            {
                BitConverter.TryWriteBytes(group, number);
                socketObject.SetRawSocketOption(Rtnetlink.SolNetlink, Rtnetlink.AddMembership, group);
            }

            return new NetlinkSocket(socketObject);
        }
        catch
        {
            socketObject.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> message) => _socket.Send(message);

    /// <summary>
    /// One datagram. Throws <see cref="SocketException"/> with <see cref="SocketError.NoBufferSpaceAvailable"/> when
    /// the kernel dropped messages because the receive buffer was full: the caller has lost events and must dump again.
    /// </summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public void Dispose() => _socket.Dispose();

    // SO_RCVBUFFORCE passes net.core.rmem_max (it needs CAP_NET_ADMIN); without it the kernel caps SO_RCVBUF.
    private static void SetReceiveBuffer(Socket socket, int bytes)
    {
        Span<byte> value = stackalloc byte[4];
        BitConverter.TryWriteBytes(value, bytes);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReceiveBufferForce, value);
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = bytes;
        }
    }

    private static IOException Failure(string what, int errno) =>
        new($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    private static extern int bind(SafeSocketHandle socket, byte[] address, int length);
}
