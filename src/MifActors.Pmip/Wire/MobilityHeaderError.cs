namespace MifActors.Pmip.Wire;

/// <summary>What is wrong with a Mobility Header that did not decode.</summary>
public enum MobilityHeaderErrorCode : byte
{
    None = 0,

    /// <summary>Fewer than the 8 octets every Mobility Header has (RFC 6275 §6.1.1).</summary>
    Truncated,

    /// <summary>The packet length is not a multiple of 8 octets (RFC 6275 §6.1.1).</summary>
    LengthNotMultipleOfEight,

    /// <summary>Payload Proto is not 59 (IPPROTO_NONE), the only value RFC 6275 §6.1.1 lets a sender use.</summary>
    WrongPayloadProto,

    /// <summary>Header Len disagrees with the packet, or is too short for the message's fixed fields.</summary>
    BadHeaderLength,

    /// <summary>An MH type this codec does not know.</summary>
    UnknownMessageType,

    /// <summary>An option's type, length or data runs past the end of the message.</summary>
    OptionTruncated,

    /// <summary>Pad1/PadN carries non-zero octets (RFC 6275 §6.2.2, §6.2.3).</summary>
    BadPadding,

    /// <summary>An option starts at an offset its "xn+y" alignment rule forbids (RFC 6275 §6.2).</summary>
    MisalignedOption,

    /// <summary>An option's length does not fit its fixed format.</summary>
    BadOptionLength,

    /// <summary>An option's content is malformed (a reserved value, a prefix length out of range).</summary>
    BadOptionValue,

    /// <summary>An option the message cannot do without is absent (the MN-ID of an FHRQ).</summary>
    MissingMandatoryOption,

    /// <summary>An option this codec does not know where the message requires known ones (inside a flow tuple), or any unknown option when <see cref="MobilityHeaderCodecOptions.RejectUnknownOptions"/> is set.</summary>
    UnknownMandatoryOption,

    /// <summary>An option out of the order the specification gives (flow-tuple elements, options after authentication).</summary>
    OptionOutOfOrder,

    /// <summary>An option that may appear once appears again.</summary>
    DuplicateOption,

    /// <summary>The decode target was asked for a different message type.</summary>
    WrongMessageType,

    /// <summary>The Mobility Header checksum does not match the pseudo-header and message.</summary>
    BadChecksum,

    /// <summary>No mobility message authentication option where one is required.</summary>
    MissingAuthentication,

    /// <summary>The authentication option's SPI is not the one configured for the peer.</summary>
    UnknownSecurityParameterIndex,

    /// <summary>The authenticator does not match the message under the peer's key.</summary>
    BadAuthenticator,

    /// <summary>No key is configured for the peer.</summary>
    UnknownPeer,
}

/// <summary>
/// A decode error: a code to branch on and the offset in the Mobility Header where it was found.
/// The sentence in <see cref="Message"/> is built only when asked for, so rejecting a packet costs no allocation.
/// </summary>
public readonly record struct MobilityHeaderError(MobilityHeaderErrorCode Code, int Offset, int Value = 0, int Limit = 0)
{
    public static MobilityHeaderError None => default;

    public bool IsError => Code != MobilityHeaderErrorCode.None;

    /// <summary>The error as a sentence a user can act on.</summary>
    public string Message => Code switch
    {
        MobilityHeaderErrorCode.None => "no error",
        MobilityHeaderErrorCode.Truncated =>
            $"packet is {Value} bytes; a Mobility Header needs at least 8",
        MobilityHeaderErrorCode.LengthNotMultipleOfEight =>
            $"packet is {Value} bytes, not a multiple of 8 as RFC 6275 requires of a Mobility Header",
        MobilityHeaderErrorCode.WrongPayloadProto =>
            $"payload proto is {Value}; a Mobility Header must carry 59 (no next header)",
        MobilityHeaderErrorCode.BadHeaderLength => Limit == 0
            ? $"header length {Value} ({(Value + 1) * 8} bytes) is too short for the message's fixed fields at offset {Offset}"
            : $"header length {Value} says {(Value + 1) * 8} bytes but the packet has {Limit}",
        MobilityHeaderErrorCode.UnknownMessageType =>
            $"MH type {Value} at offset 2 is not one this codec decodes",
        MobilityHeaderErrorCode.OptionTruncated => Value < 0
            ? $"option at offset {Offset} has no length byte (the message ends there)"
            : $"option length {Value} runs past the message ({Limit} bytes left) at offset {Offset}",
        MobilityHeaderErrorCode.BadPadding =>
            $"padding option at offset {Offset} carries a non-zero byte; Pad1 and PadN must be all zeros",
        MobilityHeaderErrorCode.MisalignedOption =>
            $"option type {Value} at offset {Offset} breaks its alignment rule {FormatAlignment(Limit)}",
        MobilityHeaderErrorCode.BadOptionLength =>
            $"option type {Value} at offset {Offset} has length {Limit}, which its format does not allow",
        MobilityHeaderErrorCode.BadOptionValue =>
            $"option type {Value} at offset {Offset} has an invalid value ({Limit})",
        MobilityHeaderErrorCode.MissingMandatoryOption =>
            $"the message lacks a mandatory option of type {Value}",
        MobilityHeaderErrorCode.UnknownMandatoryOption =>
            $"unknown option type {Value} at offset {Offset} where only known options may appear",
        MobilityHeaderErrorCode.OptionOutOfOrder => Limit < 0
            ? $"option type {Value} at offset {Offset} follows the authentication option, which must be last"
            : $"option type {Value} at offset {Offset} is out of order (expected type {Limit})",
        MobilityHeaderErrorCode.DuplicateOption =>
            $"option type {Value} at offset {Offset} appears a second time",
        MobilityHeaderErrorCode.WrongMessageType =>
            $"MH type {Value} is not the message type asked for ({Limit})",
        MobilityHeaderErrorCode.BadChecksum =>
            $"checksum 0x{Value:x4} does not match the pseudo-header and message (expected 0x{Limit:x4})",
        MobilityHeaderErrorCode.MissingAuthentication =>
            "the message carries no mobility message authentication option",
        MobilityHeaderErrorCode.UnknownSecurityParameterIndex =>
            $"authentication option at offset {Offset} names SPI {(uint)Value}, not the peer's SPI {(uint)Limit}",
        MobilityHeaderErrorCode.BadAuthenticator =>
            $"authenticator at offset {Offset} does not match the message under the peer's key",
        MobilityHeaderErrorCode.UnknownPeer =>
            "no security association is configured for the peer",
        _ => $"error {Code} at offset {Offset}",
    };

    public override string ToString() => Message;

    // Alignment is packed as x * 16 + y, matching the "xn+y" notation of RFC 6275 §6.2.
    private static string FormatAlignment(int packed) => $"{packed >> 4}n+{packed & 0xF}";
}
