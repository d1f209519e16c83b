namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>What is wrong with a netlink datagram that did not decode.</summary>
internal enum NetlinkErrorCode : byte
{
    None = 0,

    /// <summary>Fewer bytes left than the 16 of a <c>struct nlmsghdr</c>.</summary>
    TruncatedHeader,

    /// <summary><c>nlmsg_len</c> is below the header's own 16 bytes.</summary>
    MessageLengthTooShort,

    /// <summary><c>nlmsg_len</c> runs past the end of the datagram.</summary>
    MessageLengthTooLong,

    /// <summary>The message is shorter than its family's fixed part (ifinfomsg, ifaddrmsg, rtmsg, nlmsgerr).</summary>
    TruncatedBody,

    /// <summary>Fewer bytes left than the 4 of a <c>struct rtattr</c>.</summary>
    TruncatedAttribute,

    /// <summary><c>rta_len</c> is below 4 or runs past the end of the message.</summary>
    BadAttributeLength,

    /// <summary>An address attribute is not 4 bytes for IPv4 or 16 for IPv6.</summary>
    BadAddressLength,

    /// <summary>A fixed-size attribute (u8, u32, ifa_cacheinfo) has the wrong size.</summary>
    BadAttributeSize,

    /// <summary>A prefix length above 32 for IPv4 or 128 for IPv6.</summary>
    BadPrefixLength,

    /// <summary>An attribute the message cannot do without is absent (a link's name, an address).</summary>
    MissingAttribute,

    /// <summary>An interface name that is empty, not NUL-terminated, longer than 15 bytes, or not one the kernel allows.</summary>
    BadInterfaceName,
}

/// <summary>
/// A decode error: a code to branch on and the offset in the netlink message where it was found. The sentence in
/// <see cref="Message"/> is built only when asked for, so dropping a bad message costs no allocation.
/// </summary>
internal readonly record struct NetlinkError(NetlinkErrorCode Code, int Offset, int Value = 0, int Limit = 0)
{
    public bool IsError => Code != NetlinkErrorCode.None;

    /// <summary>The error as a sentence naming what is wrong and where.</summary>
    public string Message => Code switch
    {
        NetlinkErrorCode.None => "no error",
        NetlinkErrorCode.TruncatedHeader =>
            $"{Value} bytes left at offset {Offset}, too few for a 16-byte netlink header",
        NetlinkErrorCode.MessageLengthTooShort =>
            $"netlink message at offset {Offset} says its length is {Value}, less than its own 16-byte header",
        NetlinkErrorCode.MessageLengthTooLong =>
            $"netlink message at offset {Offset} says its length is {Value} but only {Limit} bytes are left",
        NetlinkErrorCode.TruncatedBody =>
            $"message type {Value} has {Limit} bytes after its header, too few for its fixed part",
        NetlinkErrorCode.TruncatedAttribute =>
            $"{Value} bytes left at offset {Offset}, too few for a 4-byte attribute header",
        NetlinkErrorCode.BadAttributeLength =>
            $"attribute at offset {Offset} says its length is {Value}, but it must be 4 to {Limit}",
        NetlinkErrorCode.BadAddressLength =>
            $"address attribute type {Value} at offset {Offset} has {Limit} bytes; IPv4 needs 4 and IPv6 16",
        NetlinkErrorCode.BadAttributeSize =>
            $"attribute type {Value} at offset {Offset} has {Limit} bytes, which its format does not allow",
        NetlinkErrorCode.BadPrefixLength =>
            $"prefix length {Value} at offset {Offset} is more than the address has bits ({Limit})",
        NetlinkErrorCode.MissingAttribute =>
            $"the message lacks attribute type {Value}",
        NetlinkErrorCode.BadInterfaceName =>
            $"interface name at offset {Offset} is empty, longer than 15 bytes, not NUL-terminated, not UTF-8, or has '/', ':' or a space",
        _ => $"error {Code} at offset {Offset}",
    };

    public override string ToString() => Message;
}
