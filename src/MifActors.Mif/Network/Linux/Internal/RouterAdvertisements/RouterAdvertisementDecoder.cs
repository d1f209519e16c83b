using System.Buffers.Binary;
using System.Net;

namespace MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;

/// <summary>
/// Decodes the ICMPv6 body of a router advertisement, as a raw ICMPv6 socket hands it over (no IPv6 header), in one
/// pass, into the <see cref="RouterAdvertisement"/> backends report. It reads the advertisement as a PvD-aware host
/// does (RFC 8801 §3.4): the options inside a PvD ID option join the top-level ones, and an RA header inside it (R
/// flag) replaces the top-level header. Structural damage (a cut message, a zero option length) rejects the
/// advertisement as RFC 4861 §6.1.2 asks; an option whose content breaks its own RFC is skipped, as those RFCs ask,
/// and the first one is reported for the log. Offsets in errors count from the ICMPv6 type octet.
/// </summary>
internal static class RouterAdvertisementDecoder
{
    public const byte IcmpTypeRouterAdvertisement = 134;
    private const int HeaderLength = 16;

    // IANA "IPv6 Neighbor Discovery Option Formats".
    private const byte OptionPrefixInformation = 3;
    private const byte OptionMtu = 5;
    private const byte OptionProvisioningDomain = 21;
    private const byte OptionRouteInformation = 24;
    private const byte OptionRecursiveDnsServer = 25;
    private const byte OptionDnsSearchList = 31;
    private const byte OptionPref64 = 38;

    /// <param name="message">The ICMPv6 message, type first.</param>
    /// <param name="router">Its source, the router's link-local address (without scope).</param>
    /// <param name="receivedAt">When it arrived; every lifetime counts from then.</param>
    /// <param name="advertisement">The advertisement, when the result is not an error.</param>
    /// <param name="skippedOption">The first option skipped for breaking its RFC; no error when none was.</param>
    public static RouterAdvertisementError Decode(
        ReadOnlySpan<byte> message, IPAddress router, DateTimeOffset receivedAt,
        out RouterAdvertisement? advertisement, out RouterAdvertisementError skippedOption)
    {
        advertisement = null;
        skippedOption = default;
        if (message.Length < HeaderLength) return new(RouterAdvertisementErrorCode.Truncated, 0, message.Length);
        if (message[0] != IcmpTypeRouterAdvertisement)
            return new(RouterAdvertisementErrorCode.NotRouterAdvertisement, 0, message[0]);
        if (message[1] != 0) return new(RouterAdvertisementErrorCode.BadCode, 1, message[1]);

        var options = new Options();
        var error = ReadOptions(message[HeaderLength..], HeaderLength, ref options, insideProvisioningDomain: false);
        if (error.IsError) return error;

        // RFC 8801 §3.1: with the R flag, the header inside the PvD option is the one a PvD-aware host uses.
        var header = options.EmbeddedHeader.Length == HeaderLength ? options.EmbeddedHeader : message[..HeaderLength];
        var flags = header[5];
        advertisement = new RouterAdvertisement(
            router,
            receivedAt,
            TimeSpan.FromSeconds(BinaryPrimitives.ReadUInt16BigEndian(header[6..])),
            (flags & 0x80) != 0,
            (flags & 0x40) != 0,
            options.Mtu is { } mtu ? (int)Math.Min(mtu, int.MaxValue) : null,
            (IReadOnlyList<PrefixInformation>?)options.Prefixes ?? [],
            (IReadOnlyList<RecursiveDnsServers>?)options.DnsServers ?? [],
            (IReadOnlyList<DnsSearchList>?)options.SearchLists ?? [],
            (IReadOnlyList<RouteInformation>?)options.Routes ?? [],
            options.ProvisioningDomain,
            options.Nat64Prefix);
        skippedOption = options.Skipped;
        return default;
    }

    private static RouterAdvertisementError ReadOptions(
        ReadOnlySpan<byte> data, int baseOffset, ref Options options, bool insideProvisioningDomain)
    {
        var position = 0;
        while (position < data.Length)
        {
            var offset = baseOffset + position;
            var type = data[position];
            if (position + 1 >= data.Length) return new(RouterAdvertisementErrorCode.OptionTruncated, offset, -1);
            var units = data[position + 1];
            if (units == 0) return new(RouterAdvertisementErrorCode.ZeroOptionLength, offset, type);
            var length = units * 8;
            var left = data.Length - position;
            if (length > left) return new(RouterAdvertisementErrorCode.OptionTruncated, offset, type, left);

            var option = data.Slice(position, length);
            position += length;
            RouterAdvertisementError skipped = default;
            switch (type)
            {
                case OptionPrefixInformation:
                    skipped = ReadPrefixInformation(option, offset, ref options);
                    break;
                case OptionMtu:
                    if (units != 1) skipped = BadLength(offset, type, units);
                    else options.Mtu = BinaryPrimitives.ReadUInt32BigEndian(option[4..]);
                    break;
                case OptionRouteInformation:
                    skipped = ReadRouteInformation(option, offset, ref options);
                    break;
                case OptionRecursiveDnsServer:
                    skipped = ReadRecursiveDnsServers(option, offset, ref options);
                    break;
                case OptionDnsSearchList:
                    skipped = ReadDnsSearchList(option, offset, ref options);
                    break;
                case OptionPref64:
                    skipped = ReadPref64(option, offset, ref options);
                    break;
                case OptionProvisioningDomain:
                    // RFC 8801 §3.4: only the first PvD option counts, and a PvD option inside one is ignored.
                    if (insideProvisioningDomain || options.ProvisioningDomain is not null) break;
                    var error = ReadProvisioningDomain(option, offset, ref options);
                    if (error.IsError) return error;
                    break;
            }

            if (skipped.IsError && !options.Skipped.IsError) options.Skipped = skipped;
        }

        return default;
    }

    // RFC 4861 §4.6.2; RFC 4862 §5.5.3 (c) ignores a prefix whose preferred lifetime exceeds its valid lifetime.
    private static RouterAdvertisementError ReadPrefixInformation(ReadOnlySpan<byte> option, int offset, ref Options options)
    {
        if (option.Length != 32) return BadLength(offset, OptionPrefixInformation, option.Length / 8);
        var prefixLength = option[2];
        if (prefixLength > 128) return BadValue(offset, OptionPrefixInformation, prefixLength);
        var valid = BinaryPrimitives.ReadUInt32BigEndian(option[4..]);
        var preferred = BinaryPrimitives.ReadUInt32BigEndian(option[8..]);
        if (preferred > valid) return BadValue(offset, OptionPrefixInformation, (int)Math.Min(preferred, int.MaxValue));
        (options.Prefixes ??= []).Add(new PrefixInformation(
            Prefix(option.Slice(16, 16), prefixLength), prefixLength, (option[3] & 0x80) != 0, (option[3] & 0x40) != 0,
            Lifetime(valid), Lifetime(preferred)));
        return default;
    }

    // RFC 4191 §2.3: length 1 to 3 as the prefix needs; a reserved preference (10) makes the option ignored.
    private static RouterAdvertisementError ReadRouteInformation(ReadOnlySpan<byte> option, int offset, ref Options options)
    {
        var units = option.Length / 8;
        var prefixLength = option[2];
        if (units > 3) return BadLength(offset, OptionRouteInformation, units);
        if (prefixLength > 128) return BadValue(offset, OptionRouteInformation, prefixLength);
        if ((prefixLength > 64 && units < 3) || (prefixLength > 0 && units < 2))
            return BadLength(offset, OptionRouteInformation, units);
        var preference = (option[3] >> 3) & 0x3;
        if (preference == 2) return BadValue(offset, OptionRouteInformation, preference);
        Span<byte> prefix = stackalloc byte[16];
        prefix.Clear();
        option[8..].CopyTo(prefix);
        (options.Routes ??= []).Add(new RouteInformation(
            Prefix(prefix, prefixLength), prefixLength, ReadPreference(preference),
            Lifetime(BinaryPrimitives.ReadUInt32BigEndian(option[4..]))));
        return default;
    }

    // RFC 8106 §5.1: at least one address, so length 3, 5, 7, ...
    private static RouterAdvertisementError ReadRecursiveDnsServers(ReadOnlySpan<byte> option, int offset, ref Options options)
    {
        var units = option.Length / 8;
        if (units < 3 || units % 2 == 0) return BadLength(offset, OptionRecursiveDnsServer, units);
        var count = (units - 1) / 2;
        var servers = new IPAddress[count];
        for (var i = 0; i < count; i++) servers[i] = new IPAddress(option.Slice(8 + i * 16, 16));
        (options.DnsServers ??= []).Add(new RecursiveDnsServers(servers, Lifetime(BinaryPrimitives.ReadUInt32BigEndian(option[4..]))));
        return default;
    }

    // RFC 8106 §5.2: uncompressed names one after another, then zero padding.
    private static RouterAdvertisementError ReadDnsSearchList(ReadOnlySpan<byte> option, int offset, ref Options options)
    {
        var units = option.Length / 8;
        if (units < 2) return BadLength(offset, OptionDnsSearchList, units);
        var names = option[8..];
        var domains = new List<string>(1);
        var position = 0;
        while (position < names.Length && names[position] != 0)
        {
            var start = position;
            if (!TryReadDomainName(names, ref position, out var name))
                return BadValue(offset, OptionDnsSearchList, 8 + start);
            domains.Add(name);
        }

        if (domains.Count == 0) return BadValue(offset, OptionDnsSearchList, 0);
        (options.SearchLists ??= []).Add(new DnsSearchList(domains, Lifetime(BinaryPrimitives.ReadUInt32BigEndian(option[4..]))));
        return default;
    }

    // RFC 8781 §4: scaled lifetime (13 bits, units of 8 s) and prefix length code (3 bits), then 96 prefix bits.
    private static RouterAdvertisementError ReadPref64(ReadOnlySpan<byte> option, int offset, ref Options options)
    {
        if (option.Length != 16) return BadLength(offset, OptionPref64, option.Length / 8);
        var word = BinaryPrimitives.ReadUInt16BigEndian(option[2..]);
        byte prefixLength = (word & 0x7) switch
        {
            0 => 96,
            1 => 64,
            2 => 56,
            3 => 48,
            4 => 40,
            5 => 32,
            _ => 0,
        };
        if (prefixLength == 0) return BadValue(offset, OptionPref64, word & 0x7);
        Span<byte> prefix = stackalloc byte[16];
        prefix.Clear();
        option.Slice(4, 12).CopyTo(prefix);
        options.Nat64Prefix = new Nat64Prefix(Prefix(prefix, prefixLength), prefixLength, TimeSpan.FromSeconds((word >> 3) * 8));
        return default;
    }

    // RFC 8801 §3.1: flags H, L, R, 9 reserved bits, 4-bit delay; sequence; FQDN; padding to 8 octets; RA header if R; options.
    private static RouterAdvertisementError ReadProvisioningDomain(ReadOnlySpan<byte> option, int offset, ref Options options)
    {
        if (option.Length < 8)
            return new(RouterAdvertisementErrorCode.BadProvisioningDomainOption, offset, OptionProvisioningDomain, RouterAdvertisementError.TooShort);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(option[2..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(option[4..]);
        var body = option[6..];
        var position = 0;
        if (!TryReadDomainName(body, ref position, out var fqdn) || fqdn.Length == 0)
            return new(RouterAdvertisementErrorCode.BadProvisioningDomainOption, offset, OptionProvisioningDomain, RouterAdvertisementError.FqdnMalformed);

        var next = (6 + position + 7) & ~7;
        if ((flags & 0x2000) != 0)
        {
            if (next + HeaderLength > option.Length)
                return new(RouterAdvertisementErrorCode.BadProvisioningDomainOption, offset, OptionProvisioningDomain, RouterAdvertisementError.HeaderMissing);
            options.EmbeddedHeader = option.Slice(next, HeaderLength);
            next += HeaderLength;
        }

        // PvD IDs compare case-insensitively (RFC 8801 §3.4): one spelling, lower case, without the trailing dot.
        // The H flag and delay concern fetching additional information over HTTPS, which this backend does not do.
        options.ProvisioningDomain = new ProvisioningDomainOption(fqdn.ToLowerInvariant(), sequence, (flags & 0x4000) != 0);
        return next >= option.Length
            ? default
            : ReadOptions(option[next..], offset + next, ref options, insideProvisioningDomain: true);
    }

    /// <summary>
    /// Reads one uncompressed DNS name (RFC 1035 §3.1) of printable ASCII labels, without the trailing dot. False on
    /// a compression pointer, a label past the end, a name over 255 octets, or a label with a dot or a control octet.
    /// </summary>
    private static bool TryReadDomainName(ReadOnlySpan<byte> data, ref int position, out string name)
    {
        name = "";
        var start = position;
        Span<char> text = stackalloc char[255];
        var written = 0;
        while (true)
        {
            if (position >= data.Length) return false;
            int label = data[position++];
            if (label == 0) break;
            if (label > 63 || position + label > data.Length || position - start + label > 255) return false;
            if (written > 0) text[written++] = '.';
            foreach (var octet in data.Slice(position, label))
            {
                if (octet <= 0x20 || octet >= 0x7F || octet == '.') return false;
                text[written++] = (char)octet;
            }

            position += label;
        }

        name = new string(text[..written]);
        return true;
    }

    // Bits past the prefix length are not part of the prefix; RFC 4191 §2.3 asks receivers to ignore them.
    private static IPAddress Prefix(ReadOnlySpan<byte> bytes, int prefixLength)
    {
        Span<byte> masked = stackalloc byte[16];
        bytes[..16].CopyTo(masked);
        for (var bit = prefixLength; bit < 128; bit++) masked[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPAddress(masked);
    }

    private static RoutePreference ReadPreference(int bits) => (bits & 0x3) switch
    {
        1 => RoutePreference.High,
        3 => RoutePreference.Low,
        _ => RoutePreference.Medium,
    };

    // All ones is infinity for the lifetimes of RFC 4861 §4.6.2, RFC 4191 §2.3 and RFC 8106 §5.
    private static TimeSpan? Lifetime(uint seconds) => seconds == uint.MaxValue ? null : TimeSpan.FromSeconds(seconds);

    private static RouterAdvertisementError BadLength(int offset, byte type, int units) =>
        new(RouterAdvertisementErrorCode.BadOptionLength, offset, type, units);

    private static RouterAdvertisementError BadValue(int offset, byte type, int value) =>
        new(RouterAdvertisementErrorCode.BadOptionValue, offset, type, value);

    // Options collected over the top level and the PvD option; lists exist only once an option needs one.
    private ref struct Options
    {
        public uint? Mtu;
        public List<PrefixInformation>? Prefixes;
        public List<RecursiveDnsServers>? DnsServers;
        public List<DnsSearchList>? SearchLists;
        public List<RouteInformation>? Routes;
        public Nat64Prefix? Nat64Prefix;
        public ProvisioningDomainOption? ProvisioningDomain;
        public ReadOnlySpan<byte> EmbeddedHeader;
        public RouterAdvertisementError Skipped;
    }
}
