using System.Net;
using MifActors.Pmip.Wire.Internal;

namespace MifActors.Pmip.Wire;

/// <summary>
/// Encodes and decodes Mobility Header messages (RFC 6275 §6.1): PBU/PBA (RFC 5213), Heartbeat (RFC 5847) and
/// FHRQ/FHRP (draft-koodli-flow-handover-00). The bytes are the Mobility Header itself, from Payload Proto on: what
/// follows an IPv6 header with next header 135, or fills a UDP datagram on port 5436.
/// <para>
/// Decoding never throws and never reads past the span; a malformed packet gives a <see cref="MobilityHeaderError"/>.
/// Encoding writes the checksum as zero unless given the addresses (the checksum covers an IPv6 pseudo-header, see
/// <see cref="MobilityHeaderChecksum"/>); it throws <see cref="ArgumentException"/> for a message it cannot express or
/// a destination too small (<see cref="MaxLength"/> always suffices).
/// </para>
/// </summary>
public static class MobilityHeaderCodec
{
    /// <summary>Largest possible Mobility Header: Header Len 255 means 256 units of 8 octets.</summary>
    public const int MaxLength = MobilityOptionLayout.MaxLength;

    /// <summary>The UDP port Wireshark and PMIPv6 implementations use for Mobility Header over UDP.</summary>
    public const int UdpPort = 5436;

    /// <summary>Writes the message into <paramref name="destination"/> and returns its length in bytes, a multiple of 8.</summary>
    public static int Encode(MobilityMessage message, Span<byte> destination) =>
        Encode(message, destination, MobilityHeaderCodecOptions.Default);

    public static int Encode(MobilityMessage message, Span<byte> destination, MobilityHeaderCodecOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        return MobilityHeaderEncoder.Encode(message, destination, options);
    }

    /// <summary>Encodes and fills in the checksum for a packet from <paramref name="source"/> to <paramref name="destinationAddress"/>.</summary>
    public static int Encode(MobilityMessage message, Span<byte> destination, IPAddress source, IPAddress destinationAddress,
        MobilityHeaderCodecOptions? options = null)
    {
        var length = Encode(message, destination, options ?? MobilityHeaderCodecOptions.Default);
        MobilityHeaderChecksum.Write(destination[..length], source, destinationAddress);
        return length;
    }

    /// <summary>Decodes one Mobility Header. False with a sentence in <paramref name="error"/> when it is malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> packet, out MobilityMessage? message, out string? error)
    {
        if (TryDecode(packet, out message, out MobilityHeaderError typed))
        {
            error = null;
            return true;
        }

        error = typed.Message;
        return false;
    }

    /// <summary>Decodes one Mobility Header. False with a typed error when it is malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> packet, out MobilityMessage? message, out MobilityHeaderError error) =>
        TryDecode(packet, MobilityHeaderCodecOptions.Default, out message, out error);

    public static bool TryDecode(ReadOnlySpan<byte> packet, MobilityHeaderCodecOptions options, out MobilityMessage? message,
        out MobilityHeaderError error)
    {
        ArgumentNullException.ThrowIfNull(options);
        error = MobilityHeaderDecoder.Decode(packet, options, out message);
        return !error.IsError;
    }

    /// <summary>
    /// Verifies the checksum against the packet's addresses, then decodes. Use on raw IPv6 (next header 135), and on
    /// UDP when the sender filled the checksum in (all our senders do; see docs/pmip-wire.md).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> packet, IPAddress source, IPAddress destination, out MobilityMessage? message,
        out MobilityHeaderError error, MobilityHeaderCodecOptions? options = null)
    {
        message = null;
        if (packet.Length >= 8 && !MobilityHeaderChecksum.Verify(packet, source, destination))
        {
            var expected = MobilityHeaderChecksum.Compute(packet, source, destination);
            error = new(MobilityHeaderErrorCode.BadChecksum, MobilityOptionLayout.ChecksumOffset,
                packet[MobilityOptionLayout.ChecksumOffset] << 8 | packet[MobilityOptionLayout.ChecksumOffset + 1], expected);
            return false;
        }

        return TryDecode(packet, options ?? MobilityHeaderCodecOptions.Default, out message, out error);
    }

    /// <summary>
    /// Decodes an FHRQ or FHRP into a reused <paramref name="into"/>, allocating nothing: the fast path of a receive
    /// loop. Any other MH type gives <see cref="MobilityHeaderErrorCode.WrongMessageType"/>; on any error the buffer's
    /// contents are unspecified.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> packet, FlowHandoverBuffer into, out MobilityHeaderError error) =>
        TryDecode(packet, into, MobilityHeaderCodecOptions.Default, out error);

    public static bool TryDecode(ReadOnlySpan<byte> packet, FlowHandoverBuffer into, MobilityHeaderCodecOptions options,
        out MobilityHeaderError error)
    {
        ArgumentNullException.ThrowIfNull(into);
        error = MobilityHeaderDecoder.DecodeFlowHandover(packet, into, options);
        return !error.IsError;
    }
}
