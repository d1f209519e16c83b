using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;

/// <summary>
/// A raw ICMPv6 socket that lets only router advertisements through (ICMP6_FILTER) and tells, for each, the
/// interface it arrived on (IPV6_PKTINFO) and its hop limit (IPV6_HOPLIMIT). .NET's ReceiveMessageFrom reports the
/// interface but not the hop limit, which RFC 4861 §6.1.2 requires to be 255 (an advertisement from off the link
/// cannot have it), so the datagram is read with libc <c>recvmsg</c> once .NET's epoll engine says one is waiting.
/// </summary>
internal sealed class RouterAdvertisementSocket : IDisposable
{
    private const int IcmpV6Level = 58;      // IPPROTO_ICMPV6
    private const int IcmpV6Filter = 1;      // ICMP6_FILTER
    private const int IPv6Level = 41;        // IPPROTO_IPV6
    private const int ReceivePacketInfo = 49; // IPV6_RECVPKTINFO
    private const int PacketInfo = 50;        // IPV6_PKTINFO
    private const int ReceiveHopLimit = 51;   // IPV6_RECVHOPLIMIT
    private const int HopLimit = 52;          // IPV6_HOPLIMIT
    private const int DontWait = 0x40;        // MSG_DONTWAIT
    private const int Truncated = 0x20;       // MSG_TRUNC
    private const int WouldBlock = 11;        // EAGAIN
    private const int SocketAddressLength = 28;   // struct sockaddr_in6
    private const int ControlLength = 128;

    private readonly Socket _socket;
    private readonly byte[] _data;
    private readonly byte[] _name = GC.AllocateArray<byte>(SocketAddressLength, pinned: true);
    private readonly byte[] _control = GC.AllocateArray<byte>(ControlLength, pinned: true);
    private readonly IoVector[] _vector = GC.AllocateArray<IoVector>(1, pinned: true);

    /// <summary>Opens the socket in the calling thread's network namespace.</summary>
    public RouterAdvertisementSocket(int datagramBytes = 2048)
    {
        _data = GC.AllocateArray<byte>(datagramBytes, pinned: true);
        _vector[0] = new IoVector { Base = Marshal.UnsafeAddrOfPinnedArrayElement(_data, 0), Length = (nuint)_data.Length };
        _socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6);
        try
        {
            // struct icmp6_filter: a set bit blocks that type; block all, then clear router advertisement (134).
            Span<byte> filter = stackalloc byte[32];
            filter.Fill(0xFF);
            var word = BinaryPrimitives.ReadUInt32LittleEndian(filter[(RouterAdvertisementDecoder.IcmpTypeRouterAdvertisement >> 5 << 2)..]);
            word &= ~(1u << (RouterAdvertisementDecoder.IcmpTypeRouterAdvertisement & 31));
            BinaryPrimitives.WriteUInt32LittleEndian(filter[(RouterAdvertisementDecoder.IcmpTypeRouterAdvertisement >> 5 << 2)..], word);
            _socket.SetRawSocketOption(IcmpV6Level, IcmpV6Filter, filter);
            Span<byte> on = [1, 0, 0, 0];
            _socket.SetRawSocketOption(IPv6Level, ReceivePacketInfo, on);
            _socket.SetRawSocketOption(IPv6Level, ReceiveHopLimit, on);
            // Router solicitations we send must carry hop limit 255 too (RFC 4861 §6.1.1).
            _socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for the next ICMPv6 message that passed the filter. The returned message is valid until the next call.
    /// </summary>
    public async ValueTask<ReceivedAdvertisement> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // A zero-byte peek returns once a datagram is queued, without taking it.
            await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            if (TryReceive(out var received)) return received;
        }
    }

    /// <summary>Sends a router solicitation (RFC 4861 §4.1) to all routers on one interface, asking for an advertisement now.</summary>
    public void SolicitRouters(int interfaceIndex)
    {
        ReadOnlySpan<byte> solicitation = [133, 0, 0, 0, 0, 0, 0, 0];
        var allRouters = new IPAddress([0xFF, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], interfaceIndex);
        _socket.SendTo(solicitation, new IPEndPoint(allRouters, 0));
    }

    public void Dispose() => _socket.Dispose();

    private bool TryReceive(out ReceivedAdvertisement received)
    {
        received = default;
        var header = new MessageHeader
        {
            Name = Marshal.UnsafeAddrOfPinnedArrayElement(_name, 0),
            NameLength = SocketAddressLength,
            Vector = Marshal.UnsafeAddrOfPinnedArrayElement(_vector, 0),
            VectorLength = 1,
            Control = Marshal.UnsafeAddrOfPinnedArrayElement(_control, 0),
            ControlLength = ControlLength,
        };
        var length = recvmsg(_socket.SafeHandle, ref header, DontWait);
        if (length < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == WouldBlock) return false;
            throw new IOException($"recvmsg on the router advertisement socket failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        var interfaceIndex = 0;
        var hopLimit = -1;
        var control = _control.AsSpan(0, (int)header.ControlLength);
        // struct cmsghdr on 64-bit Linux: size_t len, int level, int type, then data, each aligned to 8.
        while (control.Length >= 16)
        {
            var cmsgLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(control);
            if (cmsgLength < 16 || cmsgLength > control.Length) break;
            var level = BinaryPrimitives.ReadInt32LittleEndian(control[8..]);
            var type = BinaryPrimitives.ReadInt32LittleEndian(control[12..]);
            var data = control[16..cmsgLength];
            if (level == IPv6Level && type == PacketInfo && data.Length >= 20) interfaceIndex = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
            if (level == IPv6Level && type == HopLimit && data.Length >= 4) hopLimit = BinaryPrimitives.ReadInt32LittleEndian(data);
            control = control[Math.Min(control.Length, (cmsgLength + 7) & ~7)..];
        }

        // struct sockaddr_in6: family, port, flowinfo, then the 16 address bytes and the scope id.
        var source = new IPAddress(_name.AsSpan(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(_name.AsSpan(24)));
        received = new ReceivedAdvertisement(
            _data.AsMemory(0, (int)length), source, interfaceIndex, hopLimit, (header.Flags & Truncated) != 0);
        return true;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public IntPtr Base;
        public nuint Length;
    }

    // struct msghdr of 64-bit Linux.
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public IntPtr Name;
        public uint NameLength;
        public IntPtr Vector;
        public nuint VectorLength;
        public IntPtr Control;
        public nuint ControlLength;
        public int Flags;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint recvmsg(SafeSocketHandle socket, ref MessageHeader message, int flags);
}

/// <summary>One ICMPv6 message from the router advertisement socket, with where and how it arrived.</summary>
/// <param name="Message">The ICMPv6 message (type first); valid until the socket's next receive.</param>
/// <param name="Source">The sender, with the arrival interface as scope when it is link-local.</param>
/// <param name="InterfaceIndex">The interface it arrived on.</param>
/// <param name="HopLimit">The IPv6 hop limit it arrived with; -1 if the kernel did not say.</param>
/// <param name="Truncated">The datagram was longer than the buffer.</param>
internal readonly record struct ReceivedAdvertisement(
    ReadOnlyMemory<byte> Message, IPAddress Source, int InterfaceIndex, int HopLimit, bool Truncated)
{
    /// <summary>RFC 4861 §6.1.2: from a link-local source, with hop limit 255, and whole.</summary>
    public bool IsFromTheLink => Source.IsIPv6LinkLocal && HopLimit == 255 && !Truncated;
}
