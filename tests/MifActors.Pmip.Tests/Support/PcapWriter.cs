using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// Writes a classic pcap file (Ethernet link type) of Mobility Headers, either directly after an IPv6 header with
/// next header 135, or in UDP datagrams to port 5436 over IPv6 or IPv4, as a PMIPv6 peer would send them.
/// </summary>
internal sealed class PcapWriter : IDisposable
{
    private const ushort MobilityPort = 5436;
    private readonly FileStream _file;
    private uint _seconds = 1_700_000_000;

    public PcapWriter(string path)
    {
        _file = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1); // LINKTYPE_ETHERNET
        _file.Write(header);
    }

    public void WriteRawIPv6(IPAddress source, IPAddress destination, ReadOnlySpan<byte> mobilityHeader) =>
        WriteFrame(0x86DD, IPv6(source, destination, 135, mobilityHeader));

    public void WriteUdp(IPAddress source, IPAddress destination, ReadOnlySpan<byte> mobilityHeader)
    {
        var udp = new byte[8 + mobilityHeader.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, MobilityPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), MobilityPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        mobilityHeader.CopyTo(udp.AsSpan(8));
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            WriteFrame(0x0800, IPv4(source, destination, 17, udp)); // UDP checksum 0: "none" is legal over IPv4
            return;
        }

        // Over IPv6 the UDP checksum is mandatory (RFC 8200 §8.1).
        var pseudo = new byte[40 + udp.Length];
        source.TryWriteBytes(pseudo, out _);
        destination.TryWriteBytes(pseudo.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)udp.Length);
        pseudo[39] = 17;
        udp.CopyTo(pseudo, 40);
        var checksum = InternetChecksum(pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(6), checksum == 0 ? (ushort)0xFFFF : checksum);
        WriteFrame(0x86DD, IPv6(source, destination, 17, udp));
    }

    private static byte[] IPv6(IPAddress source, IPAddress destination, byte nextHeader, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 64;
        source.TryWriteBytes(packet.AsSpan(8), out _);
        destination.TryWriteBytes(packet.AsSpan(24), out _);
        payload.CopyTo(packet.AsSpan(40));
        return packet;
    }

    private static byte[] IPv4(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = protocol;
        source.TryWriteBytes(packet.AsSpan(12), out _);
        destination.TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum(packet.AsSpan(0, 20)));
        payload.CopyTo(packet.AsSpan(20));
        return packet;
    }

    private void WriteFrame(ushort etherType, ReadOnlySpan<byte> packet)
    {
        var frame = new byte[14 + packet.Length];
        byte[] destinationMac = [0x02, 0, 0, 0, 0, 0x02], sourceMac = [0x02, 0, 0, 0, 0, 0x01];
        destinationMac.CopyTo(frame, 0);
        sourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        packet.CopyTo(frame.AsSpan(14));

        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, _seconds++);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
        _file.Write(record);
        _file.Write(frame);
    }

    private static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i < data.Length; i += 2)
            sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public void Dispose() => _file.Dispose();
}
