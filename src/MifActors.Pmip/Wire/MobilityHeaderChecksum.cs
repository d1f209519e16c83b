using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MifActors.Pmip.Wire.Internal;

namespace MifActors.Pmip.Wire;

/// <summary>
/// The Mobility Header checksum (RFC 6275 §6.1.1): the 16-bit one's complement of the one's complement sum over an
/// IPv6 pseudo-header (source, destination, upper-layer length, next header 135; RFC 2460 §8.1) and the whole
/// Mobility Header with its checksum field taken as zero.
/// <para>
/// IPv4 addresses (Mobility Header over UDP between IPv4 peers, RFC 5844) enter the pseudo-header as IPv4-mapped IPv6
/// addresses (<c>::ffff:a.b.c.d</c>), so one rule covers every transport; docs/pmip-wire.md says why.
/// </para>
/// </summary>
public static class MobilityHeaderChecksum
{
    public const byte NextHeader = 135;

    /// <summary>The checksum the header should carry, whatever its checksum field holds now.</summary>
    public static ushort Compute(ReadOnlySpan<byte> mobilityHeader, IPAddress source, IPAddress destination)
    {
        Span<byte> addresses = stackalloc byte[32];
        WriteAddress(addresses[..16], source);
        WriteAddress(addresses[16..], destination);
        return Compute(mobilityHeader, addresses[..16], addresses[16..]);
    }

    /// <summary>The checksum for 16-byte source and destination addresses; allocates nothing.</summary>
    public static ushort Compute(ReadOnlySpan<byte> mobilityHeader, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination)
    {
        var sum = Sum(mobilityHeader, source, destination);
        if (mobilityHeader.Length >= 6)
            sum += ~(uint)BinaryPrimitives.ReadUInt16BigEndian(mobilityHeader[MobilityOptionLayout.ChecksumOffset..]) & 0xFFFF;
        return (ushort)~Fold(sum);
    }

    /// <summary>Fills in the checksum field of an encoded Mobility Header.</summary>
    public static void Write(Span<byte> mobilityHeader, IPAddress source, IPAddress destination) =>
        BinaryPrimitives.WriteUInt16BigEndian(mobilityHeader[MobilityOptionLayout.ChecksumOffset..],
            Compute(mobilityHeader, source, destination));

    /// <summary>True when the checksum field matches the pseudo-header and message.</summary>
    public static bool Verify(ReadOnlySpan<byte> mobilityHeader, IPAddress source, IPAddress destination)
    {
        Span<byte> addresses = stackalloc byte[32];
        WriteAddress(addresses[..16], source);
        WriteAddress(addresses[16..], destination);
        return Fold(Sum(mobilityHeader, addresses[..16], addresses[16..])) == 0xFFFF;
    }

    // One's complement sum (folded to 16 bits) of the pseudo-header and the message as it is, checksum field included.
    private static uint Sum(ReadOnlySpan<byte> mobilityHeader, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination)
    {
        ulong sum = 0;
        sum += AddWords(source);
        sum += AddWords(destination);
        sum += (uint)mobilityHeader.Length;
        sum += NextHeader;
        sum += AddWords(mobilityHeader);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (uint)sum;
    }

    private static ulong AddWords(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (uint)data[i] << 8;
        return sum;
    }

    private static ushort Fold(uint sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    private static void WriteAddress(Span<byte> destination, IPAddress address)
    {
        var v6 = address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address;
        if (v6.AddressFamily != AddressFamily.InterNetworkV6 || !v6.TryWriteBytes(destination, out _))
            throw new ArgumentException($"not an IP address: {address}", nameof(address));
    }
}
