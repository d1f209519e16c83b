using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MifActors.Pmip.Transport.Internal;

/// <summary>
/// Opens a raw IPv6 socket with socket(2) itself: .NET's <see cref="Socket"/> constructor refuses protocol numbers it
/// has no <see cref="ProtocolType"/> for (135 among them) with "Protocol not supported", though Linux accepts them.
/// </summary>
internal static class RawIPv6Socket
{
    private const int AfInet6 = 10;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int IpProtoIPv6 = 41;
    private const int Ipv6Checksum = 7;
    private const int Eperm = 1;
    private const int Eacces = 13;

    /// <summary>A raw socket for <paramref name="protocol"/>, or null with Linux's errno when it refuses.</summary>
    public static Socket? TryOpen(int protocol, out int errno)
    {
        var descriptor = socket(AfInet6, SockRaw | SockCloexec, protocol);
        errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor < 0 ? null : new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
    }

    /// <summary>EPERM or EACCES: the caller lacks CAP_NET_RAW.</summary>
    public static bool IsPermissionDenied(int errno) => errno is Eperm or Eacces;

    /// <summary>
    /// IPV6_CHECKSUM (RFC 3542 §3.1): the offset at which the kernel writes the checksum on send and checks it on
    /// receive, or -1 for neither.
    /// </summary>
    public static void SetChecksumOffset(Socket socket, int offset) =>
        socket.SetRawSocketOption(IpProtoIPv6, Ipv6Checksum, BitConverter.GetBytes(offset));

    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);
}
