namespace MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;

/// <summary>What is wrong with a router advertisement, or with one of its options.</summary>
internal enum RouterAdvertisementErrorCode : byte
{
    None = 0,

    /// <summary>Fewer than the 16 octets of an RA header (RFC 4861 §6.1.2).</summary>
    Truncated,

    /// <summary>ICMPv6 type is not 134.</summary>
    NotRouterAdvertisement,

    /// <summary>ICMPv6 code is not 0 (RFC 4861 §6.1.2).</summary>
    BadCode,

    /// <summary>An option's type and length octets, or its data, run past the message.</summary>
    OptionTruncated,

    /// <summary>An option with length 0, which makes RFC 4861 §6.1.2 discard the whole advertisement.</summary>
    ZeroOptionLength,

    /// <summary>An option's length does not fit its format; the option is skipped.</summary>
    BadOptionLength,

    /// <summary>An option's content breaks its RFC (a prefix length out of range, a reserved preference, a bad name); the option is skipped.</summary>
    BadOptionValue,

    /// <summary>The PvD ID option's FQDN is malformed, or the RA header it announces is missing (RFC 8801 §3.1).</summary>
    BadProvisioningDomainOption,
}

/// <summary>
/// A decode error: a code to branch on, the offset in the ICMPv6 message where it was found, and the option type
/// it concerns. The sentence in <see cref="Message"/> is built only when asked for.
/// </summary>
internal readonly record struct RouterAdvertisementError(RouterAdvertisementErrorCode Code, int Offset, int Value = 0, int Limit = 0)
{
    public bool IsError => Code != RouterAdvertisementErrorCode.None;

    public string Message => Code switch
    {
        RouterAdvertisementErrorCode.None => "no error",
        RouterAdvertisementErrorCode.Truncated =>
            $"router advertisement is {Value} bytes; it needs at least 16",
        RouterAdvertisementErrorCode.NotRouterAdvertisement =>
            $"ICMPv6 type {Value} is not a router advertisement (134)",
        RouterAdvertisementErrorCode.BadCode =>
            $"router advertisement has ICMPv6 code {Value}; RFC 4861 requires 0",
        RouterAdvertisementErrorCode.OptionTruncated => Value < 0
            ? $"option at offset {Offset} has no length octet (the message ends there)"
            : $"option type {Value} at offset {Offset} runs past the message ({Limit} bytes left)",
        RouterAdvertisementErrorCode.ZeroOptionLength =>
            $"option type {Value} at offset {Offset} has length 0, which RFC 4861 forbids",
        RouterAdvertisementErrorCode.BadOptionLength =>
            $"option type {Value} at offset {Offset} has length {Limit} (x 8 octets), which its format does not allow",
        RouterAdvertisementErrorCode.BadOptionValue =>
            $"option type {Value} at offset {Offset} has an invalid value ({Limit})",
        RouterAdvertisementErrorCode.BadProvisioningDomainOption =>
            $"PvD ID option at offset {Offset} is malformed: {ProvisioningDomainProblem(Limit)}",
        _ => $"error {Code} at offset {Offset}",
    };

    public override string ToString() => Message;

    internal const int FqdnMalformed = 1;
    internal const int HeaderMissing = 2;
    internal const int TooShort = 3;

    private static string ProvisioningDomainProblem(int problem) => problem switch
    {
        FqdnMalformed => "its PvD ID FQDN is not an uncompressed DNS name of printable labels",
        HeaderMissing => "the R flag announces an RA header that does not fit in the option",
        TooShort => "it is shorter than its flags, sequence number and a one-octet name",
        _ => $"problem {problem}",
    };
}
