using System.Net;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests;

public class ChecksumTests
{
    public static TheoryData<int> MessageIndexes() => CodecRoundTripTests.MessageIndexes();

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void The_checksum_matches_an_independent_pseudo_header_computation(int index)
    {
        var message = Samples.All().ElementAt(index);
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityHeaderCodec.Encode(message, buffer, Samples.Mag, Samples.Lma);
        var packet = buffer[..length];

        var expected = ReferenceChecksum(Samples.Mag, Samples.Lma, packet);
        Assert.Equal(expected, (ushort)(packet[4] << 8 | packet[5]));
        Assert.True(MobilityHeaderChecksum.Verify(packet, Samples.Mag, Samples.Lma));
        Assert.True(MobilityHeaderCodec.TryDecode(packet, Samples.Mag, Samples.Lma, out var decoded, out var error), error.Message);
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Ipv4_peers_checksum_over_their_ipv4_mapped_addresses()
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityHeaderCodec.Encode(Samples.Pbu(), buffer, Samples.MagV4, Samples.LmaV4);
        var packet = buffer[..length];

        var expected = ReferenceChecksum(IPAddress.Parse("::ffff:192.0.2.10"), IPAddress.Parse("::ffff:192.0.2.20"), packet);
        Assert.Equal(expected, (ushort)(packet[4] << 8 | packet[5]));
    }

    [Fact]
    public void A_flipped_bit_fails_the_checksum_with_both_values_in_the_error()
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityHeaderCodec.Encode(Samples.Fhrq(), buffer, Samples.Lma, Samples.Mag);
        var packet = buffer[..length];
        packet[length - 1] ^= 0x01;

        Assert.False(MobilityHeaderCodec.TryDecode(packet, Samples.Lma, Samples.Mag, out var message, out var error));
        Assert.Null(message);
        Assert.Equal(MobilityHeaderErrorCode.BadChecksum, error.Code);
        Assert.Matches("checksum 0x[0-9a-f]{4} does not match .* \\(expected 0x[0-9a-f]{4}\\)", error.Message);
    }

    [Fact]
    public void Swapping_source_and_destination_still_verifies_because_the_sum_is_commutative()
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityHeaderCodec.Encode(Samples.Pba(), buffer, Samples.Lma, Samples.Mag);

        Assert.True(MobilityHeaderChecksum.Verify(buffer.AsSpan(0, length), Samples.Mag, Samples.Lma));
        Assert.False(MobilityHeaderChecksum.Verify(buffer.AsSpan(0, length), Samples.Mag, IPAddress.Parse("2001:db8:c::1")));
    }

    /// <summary>RFC 2460 §8.1 / RFC 6275 §6.1.1 written out plainly: build the pseudo-header, zero the field, sum 16-bit words.</summary>
    private static ushort ReferenceChecksum(IPAddress source, IPAddress destination, byte[] mobilityHeader)
    {
        var data = new List<byte>();
        data.AddRange(source.GetAddressBytes());
        data.AddRange(destination.GetAddressBytes());
        var length = mobilityHeader.Length;
        data.AddRange([(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length]);
        data.AddRange([0, 0, 0, 135]);
        var copy = (byte[])mobilityHeader.Clone();
        copy[4] = 0;
        copy[5] = 0;
        data.AddRange(copy);
        if (data.Count % 2 == 1) data.Add(0);

        long sum = 0;
        for (var i = 0; i < data.Count; i += 2) sum += data[i] * 256 + data[i + 1];
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)(0xFFFF - sum);
    }
}
