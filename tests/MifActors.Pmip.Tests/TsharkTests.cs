using System.Net;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests;

/// <summary>
/// Wireshark's mip6 dissector as an independent peer: it must read back exactly what we encoded, over raw IPv6
/// (next header 135) and over UDP port 5436 on IPv6 and IPv4.
/// </summary>
public sealed class TsharkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pmip-tshark-").FullName;

    [Fact]
    public void Tshark_reads_our_proxy_binding_update_field_for_field_on_every_transport()
    {
        var pcap = Capture(Samples.Pbu(), Samples.Mag, Samples.Lma);
        var rows = Tshark.Fields(pcap, "mip6.mhtype", "mip6.bu.seqnr", "mip6.bu.lifetime", "mip6.bu.a_flag",
            "mip6.bu.h_flag", "mip6.bu.p_flag", "mip6.mnid.subtype", "mip6.mnid.identifier", "mip6.nemo.mnp.mnp",
            "mip6.nemo.mnp.pfl", "mip6.hi", "mip6.att", "mip6.csum");

        Assert.Equal(3, rows.Length);
        foreach (var row in rows)
        {
            Assert.Equal("5", row[0]);
            Assert.Equal("4660", row[1]);
            Assert.Equal("900", row[2]);
            Assert.All(row[3..6], flag => Assert.True(IsTrue(flag), $"flag printed as {flag}"));
            Assert.Equal("1", row[6]);
            Assert.Equal("mn1@example.net", row[7]);
            Assert.Equal("2001:db8:1:2::", row[8]);
            Assert.Equal("64", row[9]);
            Assert.Equal("1", row[10]);
            Assert.Equal("4", row[11]);
        }

        AssertNoExpertComplaints(pcap);
    }

    [Fact]
    public void Tshark_reads_our_proxy_binding_ack_field_for_field()
    {
        var pcap = Capture(Samples.Pba(), Samples.Lma, Samples.Mag);
        var rows = Tshark.Fields(pcap, "mip6.mhtype", "mip6.ba.status", "mip6.ba.seqnr", "mip6.ba.lifetime", "mip6.ba.p_flag",
            "mip6.mnid.identifier", "mip6.nemo.mnp.mnp", "mip6.nemo.mnp.pfl", "mip6.ipv4dra.dra");

        Assert.Equal(3, rows.Length);
        foreach (var row in rows)
        {
            Assert.Equal("6", row[0]);
            Assert.Equal("0", row[1]);
            Assert.Equal("4660", row[2]);
            Assert.Equal("900", row[3]);
            Assert.True(IsTrue(row[4]), $"P flag printed as {row[4]}");
            Assert.Equal("mn1@example.net", row[5]);
            Assert.Equal("2001:db8:1:2::,2001:db8:1:3::", row[6]);
            Assert.Equal("64,64", row[7]);
            Assert.Equal("10.1.2.1", row[8]);
        }

        AssertNoExpertComplaints(pcap);
    }

    [Fact]
    public void Tshark_reads_our_heartbeat()
    {
        var pcap = Capture(new Heartbeat(true, true, 77), Samples.Mag, Samples.Lma);
        var rows = Tshark.Fields(pcap, "mip6.mhtype", "mip6.hb.seqnr", "mip6.hb.u_flag", "mip6.hb.r_flag");

        Assert.All(rows, row =>
        {
            Assert.Equal("13", row[0]);
            Assert.Equal("77", row[1]);
            Assert.True(IsTrue(row[2]) && IsTrue(row[3]), string.Join(' ', row));
        });
        AssertNoExpertComplaints(pcap);
    }

    [Fact]
    public void Tshark_finds_no_bogus_length_in_our_flow_handover_messages()
    {
        var path = Path.Combine(_directory, "fh.pcap");
        using (var writer = new PcapWriter(path))
        {
            foreach (var message in Samples.All().OfType<FlowHandoverRequest>().Cast<MobilityMessage>()
                         .Concat(Samples.All().OfType<FlowHandoverReply>()))
            {
                WriteAllTransports(writer, message, Samples.Lma, Samples.Mag);
            }
        }

        var rows = Tshark.Fields(path, "mip6.mhtype", "mip6.hlen");
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(MobilityHeaderCodecOptions.Default.FlowHandoverMhType.ToString(), row[0]));
        AssertNoExpertComplaints(path);
    }

    private string Capture(MobilityMessage message, IPAddress source, IPAddress destination)
    {
        var path = Path.Combine(_directory, $"{message.GetType().Name}.pcap");
        using var writer = new PcapWriter(path);
        WriteAllTransports(writer, message, source, destination);
        return path;
    }

    private static void WriteAllTransports(PcapWriter writer, MobilityMessage message, IPAddress source, IPAddress destination)
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityHeaderCodec.Encode(message, buffer, source, destination);
        writer.WriteRawIPv6(source, destination, buffer.AsSpan(0, length));
        writer.WriteUdp(source, destination, buffer.AsSpan(0, length));
        var v4Source = source.Equals(Samples.Mag) ? Samples.MagV4 : Samples.LmaV4;
        var v4Destination = destination.Equals(Samples.Mag) ? Samples.MagV4 : Samples.LmaV4;
        length = MobilityHeaderCodec.Encode(message, buffer, v4Source, v4Destination);
        writer.WriteUdp(v4Source, v4Destination, buffer.AsSpan(0, length));
    }

    private static void AssertNoExpertComplaints(string pcap)
    {
        // Every frame must be dissected as a Mobility Header, and none may carry the dissector's complaints.
        Assert.Equal(Tshark.Matching(pcap, "frame").Length, Tshark.Matching(pcap, "mipv6").Length);
        Assert.Empty(Tshark.Matching(pcap, "mip6.bogus_header_length || mip6.opt.len.invalid || _ws.malformed || _ws.expert.severity >= warning"));
    }

    private static bool IsTrue(string flag) => flag is "1" or "True" or "true";

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
