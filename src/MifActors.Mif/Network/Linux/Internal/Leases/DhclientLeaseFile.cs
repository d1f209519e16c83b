using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MifActors.Mif.Network.Linux.Internal.Leases;

/// <summary>
/// Reads a dhclient lease file (dhclient.leases(5)): <c>lease { ... }</c> blocks for DHCPv4 and <c>lease6 { ... }</c>
/// blocks for DHCPv6, appended one after another as leases are renewed. For each interface the last lease still valid
/// at <c>now</c> counts. A block that does not parse is skipped with a sentence naming the file and line.
/// </summary>
internal static class DhclientLeaseFile
{
    public static Dictionary<string, (Dhcpv4Lease? V4, Dhcpv6Information? V6)> Read(
        string path, string text, DateTimeOffset now, Action<string> problem)
    {
        var result = new Dictionary<string, (Dhcpv4Lease? V4, Dhcpv6Information? V6)>();
        List<Statement> statements;
        try
        {
            statements = Parse(text);
        }
        catch (FormatException exception)
        {
            problem($"{path}: {exception.Message}; the file is skipped");
            return result;
        }

        foreach (var block in statements.Where(s => s.Children is not null))
        {
            try
            {
                switch (block.Words[0])
                {
                    case "lease":
                        if (ReadLease(block) is { } lease && lease.Lease.ValidUntil > now)
                            result[lease.Interface] = (lease.Lease, result.GetValueOrDefault(lease.Interface).V6);
                        break;
                    case "lease6":
                        if (ReadLease6(block) is { } lease6 && (lease6.Information.ValidUntil is null || lease6.Information.ValidUntil > now))
                            result[lease6.Interface] = (result.GetValueOrDefault(lease6.Interface).V4, lease6.Information);
                        break;
                }
            }
            catch (FormatException exception)
            {
                problem($"{path}:{block.Line}: {block.Words[0]} block skipped: {exception.Message}");
            }
        }

        return result;
    }

    private static (string Interface, Dhcpv4Lease Lease)? ReadLease(Statement lease)
    {
        var name = lease.Value("interface") ?? throw new FormatException("it names no interface");
        var address = Address(lease.Value("fixed-address") ?? throw new FormatException("it has no fixed-address"), AddressFamily.InterNetwork);
        var mask = lease.Option("subnet-mask") is { } m ? Address(m, AddressFamily.InterNetwork) : IPAddress.Parse("255.255.255.255");
        var expire = Time(lease.Find("expire") ?? throw new FormatException("it has no expire time"));
        var leaseTime = lease.Option("dhcp-lease-time") is { } seconds ? TimeSpan.FromSeconds(Number(seconds)) : TimeSpan.Zero;
        var server = lease.Option("dhcp-server-identifier") is { } s ? Address(s, AddressFamily.InterNetwork) : IPAddress.Any;
        var router = lease.Option("routers") is { } r ? Addresses(r, AddressFamily.InterNetwork).FirstOrDefault() : null;
        var dns = lease.Option("domain-name-servers") is { } d ? Addresses(d, AddressFamily.InterNetwork) : [];
        var search = lease.Option("domain-search") is { } list ? Names(list)
            : lease.Option("domain-name") is { } domain ? Names(domain) : [];
        int? mtu = lease.Option("interface-mtu") is { } mtuText ? (int)Number(mtuText) : null;
        return (name, new Dhcpv4Lease(server, address, PrefixLength(mask), expire - leaseTime, leaseTime, router, dns, search, mtu));
    }

    private static (string Interface, Dhcpv6Information Information)? ReadLease6(Statement lease)
    {
        var name = lease.Value("interface") ?? throw new FormatException("it names no interface");
        var dns = lease.Option("dhcp6.name-servers") is { } d ? Addresses(d, AddressFamily.InterNetworkV6) : [];
        var search = lease.Option("dhcp6.domain-search") is { } s ? Names(s) : [];
        // The lease lasts as long as its longest address (max-life), from when the exchange started.
        DateTimeOffset? starts = null;
        TimeSpan? lifetime = null;
        foreach (var association in lease.Children!.Where(c => c.Words[0] is "ia-na" or "ia-ta" or "ia-pd" && c.Children is not null))
        {
            if (association.Find("starts") is { } start) starts ??= Time(start);
            foreach (var address in association.Children!.Where(c => c.Words[0] is "iaaddr" or "iaprefix" && c.Children is not null))
            {
                if (address.Value("max-life") is { } life && TimeSpan.FromSeconds(Number(life)) is var span && (lifetime is null || span > lifetime))
                    lifetime = span;
            }
        }

        if (dns.Count == 0 && search.Count == 0) return null;
        return (name, new Dhcpv6Information(IPAddress.IPv6Any, starts ?? DateTimeOffset.UnixEpoch, starts is null ? null : lifetime, dns, search));
    }

    // "4 2026/12/03 10:45:00" (UTC, dhclient's default) or "epoch 1796295900" (db-time-format local).
    private static DateTimeOffset Time(Statement statement)
    {
        var words = statement.Words;
        if (words.Count >= 3 && words[1] == "epoch")
            return DateTimeOffset.FromUnixTimeSeconds(Number(words[2]));
        if (words.Count == 2 && long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (words.Count >= 4 && DateTime.TryParseExact($"{words[2]} {words[3]}", "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
            return new DateTimeOffset(utc, TimeSpan.Zero);
        throw new FormatException($"\"{string.Join(' ', words)}\" is not a time dhclient writes (\"W YYYY/MM/DD HH:MM:SS\" or \"epoch N\")");
    }

    private static long Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"\"{text}\" is not a number");

    private static IPAddress Address(string text, AddressFamily family) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily == family
            ? address
            : throw new FormatException($"\"{text}\" is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");

    private static IReadOnlyList<IPAddress> Addresses(string text, AddressFamily family) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a => Address(a, family)).ToArray();

    private static IReadOnlyList<string> Names(string text) =>
        text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.Trim('"').TrimEnd('.')).Where(n => n.Length > 0).ToArray();

    private static int PrefixLength(IPAddress mask)
    {
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
        var length = System.Numerics.BitOperations.PopCount(bits);
        if (bits != (length == 0 ? 0 : uint.MaxValue << (32 - length))) throw new FormatException($"subnet-mask {mask} is not a prefix");
        return length;
    }

    /// <summary>One statement: its words (quotes removed), and its block when it has one.</summary>
    private sealed record Statement(IReadOnlyList<string> Words, List<Statement>? Children, int Line)
    {
        public Statement? Find(string keyword) => Children?.FirstOrDefault(c => c.Words[0] == keyword);

        /// <summary>The rest of a statement "keyword value ...;", joined by spaces.</summary>
        public string? Value(string keyword) => Find(keyword) is { Words.Count: > 1 } found ? string.Join(' ', found.Words.Skip(1)) : null;

        /// <summary>The value of "option NAME value;".</summary>
        public string? Option(string name) =>
            Children?.FirstOrDefault(c => c.Words.Count > 2 && c.Words[0] == "option" && c.Words[1] == name) is { } found
                ? string.Join(' ', found.Words.Skip(2))
                : null;
    }

    private static List<Statement> Parse(string text)
    {
        var position = 0;
        var line = 1;
        var top = ParseBlock(text, ref position, ref line, nested: false);
        return top;
    }

    private static List<Statement> ParseBlock(string text, ref int position, ref int line, bool nested)
    {
        var statements = new List<Statement>();
        var words = new List<string>();
        var word = new StringBuilder();
        var startLine = line;
        void EndWord()
        {
            if (word.Length == 0) return;
            words.Add(word.ToString());
            word.Clear();
        }

        while (position < text.Length)
        {
            var c = text[position++];
            switch (c)
            {
                case '\n':
                    line++;
                    EndWord();
                    break;
                case '#':
                    EndWord();
                    while (position < text.Length && text[position] != '\n') position++;
                    break;
                case '"':
                    var end = text.IndexOf('"', position);
                    if (end < 0) throw new FormatException($"line {line}: a quoted string is not closed");
                    word.Append(text, position, end - position);
                    position = end + 1;
                    break;
                case ';':
                    EndWord();
                    if (words.Count > 0) statements.Add(new Statement(words.ToArray(), null, startLine));
                    words.Clear();
                    startLine = line;
                    break;
                case '{':
                    EndWord();
                    if (words.Count == 0) throw new FormatException($"line {line}: a block without a keyword");
                    var blockLine = startLine;
                    var children = ParseBlock(text, ref position, ref line, nested: true);
                    statements.Add(new Statement(words.ToArray(), children, blockLine));
                    words.Clear();
                    startLine = line;
                    break;
                case '}':
                    EndWord();
                    if (!nested) throw new FormatException($"line {line}: a '}}' closes no block");
                    if (words.Count > 0) throw new FormatException($"line {line}: \"{string.Join(' ', words)}\" lacks its ';'");
                    return statements;
                case ',':
                    // "a, b" and "a,b" read alike: the comma stays with the list.
                    word.Append(',');
                    break;
                default:
                    if (char.IsWhiteSpace(c))
                    {
                        EndWord();
                        if (words.Count == 0) startLine = line;
                    }
                    else
                    {
                        word.Append(c);
                    }

                    break;
            }
        }

        if (nested) throw new FormatException($"line {line}: the file ends inside a block");
        EndWord();
        if (words.Count > 0) throw new FormatException($"line {line}: \"{string.Join(' ', words)}\" lacks its ';'");
        return statements;
    }
}
