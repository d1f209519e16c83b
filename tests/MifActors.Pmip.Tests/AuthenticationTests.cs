using System.Net;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests;

public class AuthenticationTests
{
    private static readonly byte[] MagKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] OtherKey = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_message_signed_for_a_peer_verifies_at_that_peer_and_decodes_with_its_spi()
    {
        var (lma, mag) = Associations();
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = mag.EncodeSigned(Samples.Pbu(), Samples.Lma, buffer);

        Assert.True(lma.TryVerify(buffer.AsSpan(0, length), Samples.Mag, out var error), error.Message);
        Assert.True(MobilityHeaderCodec.TryDecode(buffer.AsSpan(0, length), out var message, out error), error.Message);
        Assert.Equal(0x100u, message!.Authentication!.SecurityParameterIndex);
        Assert.Equal(Samples.Pbu(), message with { Authentication = null });
    }

    [Fact]
    public void A_signed_fhrq_decodes_into_the_reused_buffer_with_its_spi()
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityMessageAuthentication.EncodeSigned(Samples.Fhrq(), buffer, 0x42, MagKey);
        var into = new FlowHandoverBuffer();

        Assert.True(MobilityHeaderCodec.TryDecode(buffer.AsSpan(0, length), into, out var error), error.Message);
        Assert.True(into.HasAuthentication);
        Assert.Equal(0x42u, into.SecurityParameterIndex);
        Assert.Equal(2, into.FlowCount);
    }

    [Fact]
    public void Any_changed_byte_fails_verification()
    {
        var (lma, mag) = Associations();
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = mag.EncodeSigned(Samples.Fhrp(), Samples.Lma, buffer);

        for (var i = 0; i < length; i++)
        {
            if (i is 4 or 5) continue; // the checksum is outside the MAC: the checksum itself protects it
            var packet = buffer[..length];
            packet[i] ^= 0x20;
            Assert.False(lma.TryVerify(packet, Samples.Mag, out var error), $"byte {i} changed yet verified");
            Assert.True(error.IsError);
        }
    }

    [Fact]
    public void A_key_of_another_peer_gives_a_bad_authenticator()
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityMessageAuthentication.EncodeSigned(Samples.HeartbeatRequest(), buffer, 0x100, OtherKey);
        var (lma, _) = Associations();

        Assert.False(lma.TryVerify(buffer.AsSpan(0, length), Samples.Mag, out var error));
        Assert.Equal(MobilityHeaderErrorCode.BadAuthenticator, error.Code);
    }

    [Fact]
    public void A_wrong_spi_an_unknown_peer_and_a_missing_option_are_told_apart()
    {
        var (lma, _) = Associations();
        var buffer = new byte[MobilityHeaderCodec.MaxLength];

        var length = MobilityMessageAuthentication.EncodeSigned(Samples.Pba(), buffer, 0x999, MagKey);
        Assert.False(lma.TryVerify(buffer.AsSpan(0, length), Samples.Mag, out var error));
        Assert.Equal(MobilityHeaderErrorCode.UnknownSecurityParameterIndex, error.Code);

        Assert.False(lma.TryVerify(buffer.AsSpan(0, length), IPAddress.Parse("2001:db8:ff::1"), out error));
        Assert.Equal(MobilityHeaderErrorCode.UnknownPeer, error.Code);

        var unsigned = Samples.Encode(Samples.Pba());
        Assert.False(lma.TryVerify(unsigned, Samples.Mag, out error));
        Assert.Equal(MobilityHeaderErrorCode.MissingAuthentication, error.Code);
    }

    [Fact]
    public void Signing_then_checksumming_leaves_both_valid()
    {
        var (lma, mag) = Associations();
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = mag.EncodeSigned(Samples.Pbu(), Samples.Lma, buffer);
        MobilityHeaderChecksum.Write(buffer.AsSpan(0, length), Samples.Mag, Samples.Lma);

        Assert.True(lma.TryVerify(buffer.AsSpan(0, length), Samples.Mag, out var error), error.Message);
        Assert.True(MobilityHeaderCodec.TryDecode(buffer.AsSpan(0, length), Samples.Mag, Samples.Lma, out _, out error), error.Message);
    }

    private static (MobilitySecurityAssociations Lma, MobilitySecurityAssociations Mag) Associations()
    {
        var lma = new MobilitySecurityAssociations();
        lma.Add(Samples.Mag, 0x100, MagKey);
        var mag = new MobilitySecurityAssociations();
        mag.Add(Samples.Lma, 0x100, MagKey);
        return (lma, mag);
    }
}
