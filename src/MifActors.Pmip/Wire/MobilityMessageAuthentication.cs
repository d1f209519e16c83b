using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using MifActors.Pmip.Wire.Internal;

namespace MifActors.Pmip.Wire;

/// <summary>
/// Signs and verifies the mobility message authentication option, RFC 4285 §5 in form (subtype, Mobility SPI,
/// authenticator; alignment 4n+1; the last option) with a stronger MAC: the authenticator is the full 32-byte
/// HMAC-SHA256, under the key shared with the peer, of the Mobility Header from its first octet up to the
/// authenticator, with the checksum field taken as zero. Unlike RFC 4285 the addresses are not prepended: over UDP
/// through NAT they change in flight, and the per-peer key already binds the message to its sender.
/// Sign before filling in the checksum, since the checksum covers the authenticator.
/// </summary>
public static class MobilityMessageAuthentication
{
    /// <summary>Encodes the message with an authentication option for <paramref name="spi"/> and signs it.</summary>
    public static int EncodeSigned(MobilityMessage message, Span<byte> destination, uint spi, ReadOnlySpan<byte> key,
        MobilityHeaderCodecOptions? options = null)
    {
        options ??= MobilityHeaderCodecOptions.Default;
        var length = MobilityHeaderCodec.Encode(message with { Authentication = MobilityAuthentication.Unsigned(spi) }, destination, options);
        if (!TrySign(destination[..length], key, out var error, options))
            throw new InvalidOperationException($"the encoder wrote a message it cannot sign: {error.Message}");
        return length;
    }

    /// <summary>Fills in the authenticator of an encoded message that ends with an authentication option.</summary>
    public static bool TrySign(Span<byte> packet, ReadOnlySpan<byte> key, out MobilityHeaderError error,
        MobilityHeaderCodecOptions? options = null)
    {
        error = Locate(packet, options ?? MobilityHeaderCodecOptions.Default, out var authenticatorOffset, out _);
        if (error.IsError) return false;
        ComputeMac(packet, authenticatorOffset, key, packet.Slice(authenticatorOffset, MobilityAuthentication.AuthenticatorLength));
        return true;
    }

    /// <summary>
    /// True when the message ends with an authentication option naming <paramref name="spi"/> whose authenticator
    /// matches under <paramref name="key"/>. Compares in constant time; allocates nothing.
    /// </summary>
    public static bool TryVerify(ReadOnlySpan<byte> packet, uint spi, ReadOnlySpan<byte> key, out MobilityHeaderError error,
        MobilityHeaderCodecOptions? options = null)
    {
        error = Locate(packet, options ?? MobilityHeaderCodecOptions.Default, out var authenticatorOffset, out var found);
        if (error.IsError) return false;
        if (found != spi)
        {
            error = new(MobilityHeaderErrorCode.UnknownSecurityParameterIndex, authenticatorOffset - 4, (int)found, (int)spi);
            return false;
        }

        Span<byte> expected = stackalloc byte[MobilityAuthentication.AuthenticatorLength];
        ComputeMac(packet, authenticatorOffset, key, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, packet.Slice(authenticatorOffset, expected.Length)))
        {
            error = new(MobilityHeaderErrorCode.BadAuthenticator, authenticatorOffset);
            return false;
        }

        return true;
    }

    private static MobilityHeaderError Locate(ReadOnlySpan<byte> packet, MobilityHeaderCodecOptions options, out int authenticatorOffset, out uint spi)
    {
        authenticatorOffset = 0;
        spi = 0;
        var error = MobilityHeaderDecoder.ReadHeader(packet, options, out _);
        if (error.IsError) return error;
        var reader = new MobilityOptionReader(packet, MobilityOptionLayout.OptionsOffset);
        var found = -1;
        while (reader.MoveNext(out error))
        {
            if (found >= 0) return new(MobilityHeaderErrorCode.OptionOutOfOrder, reader.OptionOffset, reader.Type, -1);
            if (reader.Type != MobilityOptionType.Authentication) continue;
            if (!reader.Check(0x41, MobilityOptionLayout.AuthenticationLength, out error)) return error;
            found = reader.OptionOffset;
        }

        if (error.IsError) return error;
        if (found < 0) return new(MobilityHeaderErrorCode.MissingAuthentication, packet.Length);
        spi = BinaryPrimitives.ReadUInt32BigEndian(packet[(found + 3)..]);
        authenticatorOffset = found + 7;
        return default;
    }

    private static void ComputeMac(ReadOnlySpan<byte> packet, int authenticatorOffset, ReadOnlySpan<byte> key, Span<byte> mac)
    {
        Span<byte> covered = stackalloc byte[MobilityOptionLayout.MaxLength];
        covered = covered[..authenticatorOffset];
        packet[..authenticatorOffset].CopyTo(covered);
        covered.Slice(MobilityOptionLayout.ChecksumOffset, 2).Clear();
        HMACSHA256.HashData(key, covered, mac);
    }
}

/// <summary>
/// The security associations of one node: for each peer, the SPI and key both ends configured. A peer is an address
/// and a port: two peers behind one address (NAT, or several nodes on one host) each have their own key. Port 0 stands
/// for any port of that address (raw IPv6 has no ports; a peer whose source port is not known beforehand). A lookup
/// takes the exact address and port first, then the address with port 0. Thread-safe for reads once configured.
/// </summary>
public sealed class MobilitySecurityAssociations
{
    private readonly Dictionary<IPEndPoint, (uint Spi, byte[] Key)> _peers = [];

    public MobilityHeaderCodecOptions Options { get; init; } = MobilityHeaderCodecOptions.Default;

    /// <summary>An association with every port of <paramref name="peer"/>.</summary>
    public void Add(IPAddress peer, uint spi, ReadOnlySpan<byte> key) => Add(new IPEndPoint(peer, 0), spi, key);

    /// <summary>An association with one port of an address (port 0: every port without an association of its own).</summary>
    public void Add(IPEndPoint peer, uint spi, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (key.Length < 16) throw new ArgumentException($"a key for {peer} is {key.Length} bytes; use at least 16", nameof(key));
        _peers[peer] = (spi, key.ToArray());
    }

    /// <summary>Encodes the message signed for <paramref name="peer"/> on any port.</summary>
    public int EncodeSigned(MobilityMessage message, IPAddress peer, Span<byte> destination) => EncodeSigned(message, new IPEndPoint(peer, 0), destination);

    /// <summary>True when the packet from <paramref name="peer"/> (any port) carries a valid authenticator under that peer's key.</summary>
    public bool TryVerify(ReadOnlySpan<byte> packet, IPAddress peer, out MobilityHeaderError error) => TryVerify(packet, new IPEndPoint(peer, 0), out error);

    /// <summary>Encodes the message signed for <paramref name="peer"/>.</summary>
    public int EncodeSigned(MobilityMessage message, IPEndPoint peer, Span<byte> destination)
    {
        if (!TryFind(peer, out var association))
            throw new InvalidOperationException($"no security association is configured for peer {peer.Address} port {peer.Port}");
        return MobilityMessageAuthentication.EncodeSigned(message, destination, association.Spi, association.Key, Options);
    }

    /// <summary>True when the packet from <paramref name="peer"/> carries a valid authenticator under that peer's key.</summary>
    public bool TryVerify(ReadOnlySpan<byte> packet, IPEndPoint peer, out MobilityHeaderError error)
    {
        if (!TryFind(peer, out var association))
        {
            error = new(MobilityHeaderErrorCode.UnknownPeer, 0);
            return false;
        }

        return MobilityMessageAuthentication.TryVerify(packet, association.Spi, association.Key, out error, Options);
    }

    private bool TryFind(IPEndPoint peer, out (uint Spi, byte[] Key) association) =>
        _peers.TryGetValue(peer, out association) || (peer.Port != 0 && _peers.TryGetValue(new IPEndPoint(peer.Address, 0), out association));
}
