using System.Runtime.CompilerServices;

namespace MifActors.Pmip.Wire.Internal;

/// <summary>Offsets of the Mobility Header (RFC 6275 §6.1.1) and each option's alignment and length rules.</summary>
internal static class MobilityOptionLayout
{
    public const byte PayloadProtoNone = 59;
    public const int HeaderLengthOffset = 1;
    public const int TypeOffset = 2;
    public const int ChecksumOffset = 4;

    /// <summary>All our messages have 6 octets of fixed fields after the 6-octet header.</summary>
    public const int OptionsOffset = 12;

    /// <summary>Header Len is 8 bits of 8-octet units beyond the first 8 octets.</summary>
    public const int MaxLength = 256 * 8;

    public const int HomeNetworkPrefixLength = 18;
    public const int IPv4OptionLength = 6;
    public const int PortsOptionLength = 6;
    public const int QosOptionLength = 2;
    public const int TimestampLength = 8;
    public const int AuthenticationLength = 1 + 4 + MobilityAuthentication.AuthenticatorLength;

    /// <summary>
    /// The "xn+y" rule of each option this codec writes (RFC 6275 §6.2), packed as x * 16 + y; 0x10 means none.
    /// Every x is 1, 2, 4 or 8, so offsets are checked and padded with masks.
    /// HNP 8n+4 (RFC 5213 §8.3), Timestamp 8n+2 (RFC 5213 §8.8), authentication 4n+1 (RFC 4285 §5),
    /// IPv4 options 4n (RFC 5844 §3, draft §4.3.2/4.3.3), QoS 2n (its PHB id is 16 bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Alignment(byte type, MobilityHeaderCodecOptions options, bool flowContext)
    {
        if (flowContext)
        {
            if (type == options.FlowIPv6AddressOptionType) return 0x84;
            if (type == options.FlowIPv4AddressOptionType || type == options.FlowPortsOptionType) return 0x40;
            if (type == options.FlowQosOptionType) return 0x20;
        }

        return type switch
        {
            MobilityOptionType.HomeNetworkPrefix => 0x84,
            MobilityOptionType.Timestamp => 0x82,
            MobilityOptionType.Authentication => 0x41,
            MobilityOptionType.IPv4HomeAddressRequest or MobilityOptionType.IPv4HomeAddressReply
                or MobilityOptionType.IPv4DefaultRouterAddress => 0x40,
            _ => 0x10,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAligned(int offset, int packed) => (offset & ((packed >> 4) - 1)) == (packed & 0xF);
}
