using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace MifActors.Testing.Namespaces;

/// <summary>
/// Builds the ICMPv6 body of a router advertisement (RFC 4861 §4.2) with the options a PvD-aware host reads:
/// prefix information, MTU, RDNSS and DNSSL (RFC 8106), route information (RFC 4191) and the PvD ID option
/// (RFC 8801 §3.1) with its embedded options. The checksum is left 0: the kernel fills it in on a raw ICMPv6 socket.
/// </summary>
public sealed class RouterAdvertisementBuilder
{
    private readonly List<byte[]> options = [];
    private readonly byte[] header = new byte[16];

    /// <param name="routerLifetime">Seconds this router is a default router; 0 for none.</param>
    /// <param name="hopLimit">Current hop limit advertised.</param>
    /// <param name="flags">The M/O/preference octet as sent (0x80 M, 0x40 O, 0x08 high preference).</param>
    public RouterAdvertisementBuilder(ushort routerLifetime = 1800, byte hopLimit = 64, byte flags = 0)
    {
        header[0] = 134;
        header[4] = hopLimit;
        header[5] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), routerLifetime);
    }

    public RouterAdvertisementBuilder Prefix(string prefix, uint validLifetime, uint preferredLifetime, bool onLink = true, bool autonomous = true)
    {
        var (address, length) = ParsePrefix(prefix);
        var option = NewOption(3, 4);
        option[2] = length;
        option[3] = (byte)((onLink ? 0x80 : 0) | (autonomous ? 0x40 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(4), validLifetime);
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(8), preferredLifetime);
        address.TryWriteBytes(option.AsSpan(16), out _);
        options.Add(option);
        return this;
    }

    public RouterAdvertisementBuilder Mtu(uint mtu)
    {
        var option = NewOption(5, 1);
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(4), mtu);
        options.Add(option);
        return this;
    }

    public RouterAdvertisementBuilder Rdnss(uint lifetime, params string[] servers)
    {
        var option = NewOption(25, 1 + 2 * servers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(4), lifetime);
        for (var i = 0; i < servers.Length; i++) IPAddress.Parse(servers[i]).TryWriteBytes(option.AsSpan(8 + 16 * i), out _);
        options.Add(option);
        return this;
    }

    public RouterAdvertisementBuilder Dnssl(uint lifetime, params string[] domains)
    {
        var names = domains.SelectMany(EncodeName).ToArray();
        var option = NewOption(31, 1 + (names.Length + 7) / 8);
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(4), lifetime);
        names.CopyTo(option, 8);
        options.Add(option);
        return this;
    }

    /// <summary>A route information option; <paramref name="preference"/> is the two Prf bits: 1 high, 0 medium, 3 low.</summary>
    public RouterAdvertisementBuilder Route(string prefix, uint lifetime, int preference = 0)
    {
        var (address, length) = ParsePrefix(prefix);
        var units = length == 0 ? 1 : length <= 64 ? 2 : 3;
        var option = NewOption(24, units);
        option[2] = length;
        option[3] = (byte)((preference & 3) << 3);
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(4), lifetime);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[..((units - 1) * 8)].CopyTo(option.AsSpan(8));
        options.Add(option);
        return this;
    }

    /// <summary>
    /// Adds the PvD ID option. <paramref name="embedded"/> fills the options carried inside it (only PvD-aware hosts
    /// read those); <paramref name="embeddedHeader"/> sets the R flag and carries that RA's header.
    /// </summary>
    public RouterAdvertisementBuilder ProvisioningDomain(
        string fqdn, ushort sequence = 0, bool http = false, bool legacy = false, byte delay = 0,
        Action<RouterAdvertisementBuilder>? embedded = null, RouterAdvertisementBuilder? embeddedHeader = null)
    {
        var name = EncodeName(fqdn);
        var fixedLength = (6 + name.Length + 7) & ~7;
        var inner = new RouterAdvertisementBuilder();
        embedded?.Invoke(inner);
        var innerOptions = inner.options.SelectMany(o => o).ToArray();
        var headerLength = embeddedHeader is null ? 0 : 16;
        var option = NewOption(21, (fixedLength + headerLength + innerOptions.Length) / 8);
        var flags = (ushort)((http ? 0x8000 : 0) | (legacy ? 0x4000 : 0) | (embeddedHeader is null ? 0 : 0x2000) | (delay & 0xF));
        BinaryPrimitives.WriteUInt16BigEndian(option.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(option.AsSpan(4), sequence);
        name.CopyTo(option, 6);
        embeddedHeader?.header.CopyTo(option, fixedLength);
        innerOptions.CopyTo(option, fixedLength + headerLength);
        options.Add(option);
        return this;
    }

    /// <summary>Adds an option of any type with the given data (after type and length), padded to 8 octets.</summary>
    public RouterAdvertisementBuilder RawOption(byte type, byte[] data)
    {
        var option = NewOption(type, (2 + data.Length + 7) / 8);
        data.CopyTo(option, 2);
        options.Add(option);
        return this;
    }

    public byte[] Build() => [.. header, .. options.SelectMany(o => o)];

    private static byte[] NewOption(byte type, int units)
    {
        var option = new byte[units * 8];
        option[0] = type;
        option[1] = (byte)units;
        return option;
    }

    private static byte[] EncodeName(string name)
    {
        var encoded = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            encoded.Add((byte)label.Length);
            encoded.AddRange(Encoding.ASCII.GetBytes(label));
        }

        encoded.Add(0);
        return [.. encoded];
    }

    private static (IPAddress Address, byte Length) ParsePrefix(string prefix)
    {
        var slash = prefix.IndexOf('/');
        return (IPAddress.Parse(prefix[..slash]), byte.Parse(prefix[(slash + 1)..]));
    }
}
