using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace MifActors.Mif.Network.Simulated.Internal;

/// <summary>The one question of a DNS query (RFC 1035 section 4.1), as a responder needs it.</summary>
internal readonly record struct DnsQuestion(ushort Id, bool RecursionDesired, string Name, ushort Type, ushort Class, int MaxUdpSize);

internal enum DnsWireError
{
    None,
    TooShort,
    NotAQuery,
    NotOneQuestion,
    BadLabel,
    NameTooLong,
    TruncatedQuestion,
}

/// <summary>A record of an answer: A, AAAA or CNAME.</summary>
internal readonly record struct DnsAnswer(string Owner, ushort Type, uint Ttl, IPAddress? Address, string? Target);

/// <summary>
/// Reads a query and writes an answer, straight from and into spans. Only what the simulated network's DNS servers
/// need: one question, uncompressed query names (which every stub resolver sends), A/AAAA/CNAME answers.
/// </summary>
internal static class DnsWire
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypeAaaa = 28;
    private const ushort TypeOpt = 41;
    private const int HeaderLength = 12;

    public static DnsWireError TryReadQuery(ReadOnlySpan<byte> message, out DnsQuestion question)
    {
        question = default;
        if (message.Length < HeaderLength)
        {
            return DnsWireError.TooShort;
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((flags & 0x8000) != 0 || ((flags >> 11) & 0xF) != 0)
        {
            return DnsWireError.NotAQuery;
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(message[4..]) != 1)
        {
            return DnsWireError.NotOneQuestion;
        }
        var additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);

        var name = new StringBuilder();
        var at = HeaderLength;
        while (true)
        {
            if (at >= message.Length)
            {
                return DnsWireError.TruncatedQuestion;
            }
            var length = message[at++];
            if (length == 0)
            {
                break;
            }
            if ((length & 0xC0) != 0 || at + length > message.Length)
            {
                return DnsWireError.BadLabel;
            }
            if (name.Length + length + 1 > 255)
            {
                return DnsWireError.NameTooLong;
            }
            if (name.Length > 0)
            {
                name.Append('.');
            }
            name.Append(Encoding.ASCII.GetString(message.Slice(at, length)));
            at += length;
        }
        if (at + 4 > message.Length)
        {
            return DnsWireError.TruncatedQuestion;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 2)..]);
        at += 4;

        // An EDNS(0) OPT record in the additional section offers a larger UDP payload (RFC 6891 section 6.2.3).
        var maxUdp = 512;
        if (additional > 0 && at + 11 <= message.Length && message[at] == 0
            && BinaryPrimitives.ReadUInt16BigEndian(message[(at + 1)..]) == TypeOpt)
        {
            maxUdp = Math.Clamp((int)BinaryPrimitives.ReadUInt16BigEndian(message[(at + 3)..]), 512, 4096);
        }
        question = new DnsQuestion(id, (flags & 0x0100) != 0, name.ToString(), type, @class, maxUdp);
        return DnsWireError.None;
    }

    /// <summary>
    /// Writes the answer to <paramref name="question"/> into <paramref name="buffer"/> and returns its length. When
    /// the answers do not fit in <paramref name="limit"/> bytes, the answer is sent without them and with the TC bit,
    /// as a server does over UDP (RFC 2181 section 9).
    /// </summary>
    public static int WriteResponse(Span<byte> buffer, DnsQuestion question, int rcode, IReadOnlyList<DnsAnswer> answers, int limit)
    {
        var length = Write(buffer, question, rcode, answers, truncated: false);
        return length <= limit ? length : Write(buffer, question, rcode, [], truncated: true);
    }

    /// <summary>The most bytes a response to <paramref name="question"/> with <paramref name="answers"/> can take.</summary>
    public static int MaxLength(DnsQuestion question, IReadOnlyList<DnsAnswer> answers) =>
        HeaderLength + question.Name.Length + 6 + answers.Sum(a => a.Owner.Length + 2 + 10 + (a.Target?.Length + 2 ?? 16));

    private static int Write(Span<byte> buffer, DnsQuestion question, int rcode, IReadOnlyList<DnsAnswer> answers, bool truncated)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, question.Id);
        // QR, AA, RD copied, RA; TC when truncated.
        var flags = 0x8000 | 0x0400 | (question.RecursionDesired ? 0x0100 : 0) | 0x0080 | (truncated ? 0x0200 : 0) | (rcode & 0xF);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[6..], (ushort)answers.Count);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], 0);
        var at = HeaderLength;
        at += WriteName(buffer[at..], question.Name);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[at..], question.Type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(at + 2)..], question.Class);
        at += 4;

        foreach (var answer in answers)
        {
            if (string.Equals(answer.Owner, question.Name, StringComparison.OrdinalIgnoreCase))
            {
                BinaryPrimitives.WriteUInt16BigEndian(buffer[at..], 0xC000 | HeaderLength);   // pointer to the question's name
                at += 2;
            }
            else
            {
                at += WriteName(buffer[at..], answer.Owner);
            }
            BinaryPrimitives.WriteUInt16BigEndian(buffer[at..], answer.Type);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(at + 2)..], 1);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(at + 4)..], answer.Ttl);
            at += 10;
            int dataLength;
            if (answer.Target is { } target)
            {
                dataLength = WriteName(buffer[at..], target);
            }
            else
            {
                answer.Address!.TryWriteBytes(buffer[at..], out dataLength);
            }
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(at - 2)..], (ushort)dataLength);
            at += dataLength;
        }
        return at;
    }

    private static int WriteName(Span<byte> buffer, string name)
    {
        var at = 0;
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            buffer[at++] = (byte)label.Length;
            at += Encoding.ASCII.GetBytes(label, buffer[at..]);
        }
        buffer[at++] = 0;
        return at;
    }
}
