using System.Net;
using DnsClient;
using MifActors.Mif.Network.Simulated;
using MifActors.Mif.Network.Simulated.Internal;
using DnsQuestion = MifActors.Mif.Network.Simulated.Internal.DnsQuestion;

namespace MifActors.Mif.Tests;

/// <summary>The simulated DNS servers' wire format: typed errors for malformed queries, truncation, and DnsClient reading the answers.</summary>
public sealed class DnsWireSpec
{
    private static byte[] Query(string name, ushort type, ushort id = 0x1234, ushort flags = 0x0100, ushort questions = 1, int? ednsSize = null)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, (byte)(flags >> 8), (byte)flags, 0, (byte)questions, 0, 0, 0, 0, 0, (byte)(ednsSize is null ? 0 : 1) };
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        if (ednsSize is { } size)
        {
            bytes.AddRange([0, 0, 41, (byte)(size >> 8), (byte)size, 0, 0, 0, 0, 0, 0]);
        }
        return bytes.ToArray();
    }

    [Fact]
    public void A_query_is_read_with_its_id_name_type_and_edns_payload_size()
    {
        Assert.Equal(DnsWireError.None, DnsWire.TryReadQuery(Query("www.example.com", DnsWire.TypeAaaa, ednsSize: 1232), out var question));
        Assert.Equal(new DnsQuestion(0x1234, true, "www.example.com", DnsWire.TypeAaaa, 1, 1232), question);
        Assert.Equal(DnsWireError.None, DnsWire.TryReadQuery(Query("a.b", DnsWire.TypeA), out question));
        Assert.Equal(512, question.MaxUdpSize);
    }

    [Fact]
    public void Malformed_queries_give_typed_errors_instead_of_exceptions()
    {
        var good = Query("www.example.com", DnsWire.TypeA);
        Assert.Equal(DnsWireError.TooShort, DnsWire.TryReadQuery(good.AsSpan(0, 11), out _));
        Assert.Equal(DnsWireError.NotAQuery, DnsWire.TryReadQuery(Query("a.b", DnsWire.TypeA, flags: 0x8100), out _));
        Assert.Equal(DnsWireError.NotOneQuestion, DnsWire.TryReadQuery(Query("a.b", DnsWire.TypeA, questions: 2), out _));
        Assert.Equal(DnsWireError.BadLabel, DnsWire.TryReadQuery(good.AsSpan(0, 14), out _));
        Assert.Equal(DnsWireError.TruncatedQuestion, DnsWire.TryReadQuery(good.AsSpan(0, good.Length - 2), out _));
        var compressed = (byte[])good.Clone();
        compressed[12] = 0xC0;
        Assert.Equal(DnsWireError.BadLabel, DnsWire.TryReadQuery(compressed, out _));
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var noise = new byte[random.Next(0, 64)];
            random.NextBytes(noise);
            DnsWire.TryReadQuery(noise, out _);   // any answer but an exception
        }
    }

    [Fact]
    public void Answers_that_do_not_fit_are_sent_without_records_and_with_the_tc_bit()
    {
        DnsWire.TryReadQuery(Query("big.example", DnsWire.TypeA), out var question);
        var answers = Enumerable.Range(1, 100).Select(i => new DnsAnswer("big.example", DnsWire.TypeA, 60, IPAddress.Parse($"10.0.0.{i}"), null)).ToArray();
        var buffer = new byte[DnsWire.MaxLength(question, answers)];

        var whole = DnsWire.WriteResponse(buffer, question, 0, answers, ushort.MaxValue);
        Assert.Equal(12 + 17 + 100 * 16, whole);   // every owner name a two-byte pointer to the question's
        Assert.Equal(0, buffer[2] & 0x02);

        var truncated = DnsWire.WriteResponse(buffer, question, 0, answers, 512);
        Assert.Equal(12 + 17, truncated);
        Assert.Equal(0x02, buffer[2] & 0x02);
        Assert.Equal(0, buffer[7]);
    }

    [Fact]
    public void DnsClient_reads_what_a_simulated_server_answers_over_udp_and_tcp()
    {
        var zone = new DnsZone().Add("www.example.com", "192.0.2.1", "2001:db8::1").AddCname("alias.example.com", "www.example.com");
        foreach (var i in Enumerable.Range(1, 100))
        {
            zone.Add("big.example.com", $"10.0.0.{i}");
        }
        using var server = new DnsResponder(IPAddress.Parse("127.53.255.1"), 0, zone, () => new PathDecision(true, TimeSpan.Zero), (_, send) => send());
        var client = new LookupClient(new LookupClientOptions(new NameServer(server.Endpoint)) { UseCache = false, Retries = 0, ExtendedDnsBufferSize = 1232 });

        var alias = client.Query("alias.example.com", QueryType.A);
        Assert.Equal("www.example.com.", alias.Answers.CnameRecords().Single().CanonicalName.Value);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), alias.Answers.ARecords().Single().Address);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), client.Query("www.example.com", QueryType.AAAA).Answers.AaaaRecords().Single().Address);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, client.Query("nothing.example.com", QueryType.A).Header.ResponseCode);
        Assert.Equal(100, client.Query("big.example.com", QueryType.A).Answers.ARecords().Count());   // through TCP after TC
        Assert.Equal(5, server.Received);
    }
}
