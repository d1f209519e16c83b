using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Akka.Actor;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Transport;

/// <summary>
/// Mobility Header straight over IPv6 (next header 135) on real raw sockets, between two network namespaces joined by
/// a veth pair that each test creates and removes. Needs root, as CI has.
/// </summary>
public sealed class RawIPv6TransportTests : IDisposable
{
    private static readonly IPAddress MagIPv6 = NetworkNamespacePair.FirstAddress;
    private static readonly IPAddress LmaIPv6 = NetworkNamespacePair.SecondAddress;
    private readonly string directory = Directory.CreateTempSubdirectory("pmip-raw-").FullName;
    private NetworkNamespacePair? pair;

    // Only the tests that exchange packets pay for the namespaces.
    private NetworkNamespacePair namespaces => pair ??= new();

    [Fact]
    public void Pbu_and_pba_cross_a_veth_pair_between_raw_transports_and_tshark_reads_them_as_mip6()
    {
        using var mag = namespaces.InFirst(() => new RawIPv6MobilityTransport(MagIPv6));
        using var lma = namespaces.InSecond(() => new RawIPv6MobilityTransport(LmaIPv6));
        var atMag = Inbox(mag);
        var atLma = Inbox(lma);
        var pcap = Path.Combine(directory, "raw.pcapng");
        using var capture = StartCapture(pcap);

        mag.Send(LmaIPv6, Encode(Samples.Pbu(), MagIPv6, LmaIPv6));
        var (from, pbu) = Take(atLma);
        lma.Send(from, Encode(Samples.Pba(), LmaIPv6, from));
        var (replyFrom, pba) = Take(atMag);

        Assert.Equal(MagIPv6, from);
        Assert.Equal(LmaIPv6, replyFrom);
        Assert.Equal(Samples.Pbu(), Decode(pbu, from, LmaIPv6));
        Assert.Equal(Samples.Pba(), Decode(pba, replyFrom, MagIPv6));

        Assert.True(capture.WaitForExit(10_000), "dumpcap did not see both messages within 10 s");
        var rows = Tshark.Fields(pcap, "ipv6.src", "ipv6.nxt", "mip6.mhtype", "mip6.bu.seqnr", "mip6.ba.seqnr", "mip6.mnid.identifier");
        Assert.Equal(2, rows.Length);
        Assert.Equal(new[] { "2001:db8:ab::1", "135", "5", "4660", "", "mn1@example.net" }, rows[0]);
        Assert.Equal(new[] { "2001:db8:ab::2", "135", "6", "", "4660", "mn1@example.net" }, rows[1]);
    }

    [Fact]
    public void A_wrong_checksum_reaches_the_node_to_be_counted_instead_of_vanishing_in_the_kernel()
    {
        using var mag = namespaces.InFirst(() => new RawIPv6MobilityTransport(MagIPv6));
        using var lma = namespaces.InSecond(() => new RawIPv6MobilityTransport(LmaIPv6));
        var atLma = Inbox(lma);
        var packet = Encode(new Heartbeat(false, false, 9), MagIPv6, LmaIPv6);
        packet[5] ^= 0xFF;

        mag.Send(LmaIPv6, packet);
        var (from, bytes) = Take(atLma);

        Assert.Equal(packet, bytes);
        Assert.False(MobilityHeaderCodec.TryDecode(bytes, from, LmaIPv6, out _, out var error));
        Assert.Equal(MobilityHeaderErrorCode.BadChecksum, error.Code);
    }

    [Fact]
    public async Task A_mag_registers_its_mobile_node_at_an_lma_in_another_namespace_over_raw_ipv6()
    {
        using var lmaSystem = RealTime.InMemorySystem("lma-raw");
        using var magSystem = RealTime.InMemorySystem("mag-raw");
        var lmaAssociations = new MobilitySecurityAssociations();
        lmaAssociations.Add(MagIPv6, 0x100, PmipLab.WifiKey);
        var magAssociations = PmipLab.MagAssociationsFor(LmaIPv6, PmipLab.WifiKey, 0x100);
        // The transport comes from HOCON (mifactors.pmip.transport = raw-ipv6), opened inside each namespace.
        var settings = PmipSettings.From(Akka.Configuration.ConfigurationFactory.ParseString("mifactors.pmip.transport = raw-ipv6")
            .WithFallback(PmipTestConfig.Scenario()).WithFallback(PmipConfig.Default));
        Assert.Equal(MobilityTransportKind.RawIPv6, settings.Transport);
        var magSocket = namespaces.InFirst(() => MobilityTransports.Open(MagIPv6, settings));
        var lmaSocket = namespaces.InSecond(() => MobilityTransports.Open(LmaIPv6, settings));
        Assert.IsType<RawIPv6MobilityTransport>(lmaSocket);
        var lma = Lma.Start(lmaSystem, lmaSocket, lmaAssociations, settings);
        var mag = Mag.Start(magSystem, magSocket, magAssociations, LmaIPv6, AccessTechnologyType.Ieee80211, settings, "mag-wifi");

        await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(PmipLab.MobileNode));
        mag.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.WifiPrefix));

        // Real sockets: poll with a generous bound instead of asserting how long it took.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        LmaMobileNodeState state;
        while ((state = await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(PmipLab.MobileNode))).Bindings.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the LMA had no binding for the MN after 10 s");
            await Task.Delay(10);
        }

        Assert.Equal(new MagAddress(MagIPv6), Assert.Single(state.Bindings).Mag);
        Assert.True(lma.Counters.Errors == lma.Counters.Replayed, $"LMA counters: {lma.Counters}");
        Assert.True(mag.Counters.Errors == mag.Counters.Replayed, $"MAG counters: {mag.Counters}");
    }

    [Fact]
    public void Without_cap_net_raw_opening_a_raw_transport_says_what_is_missing()
    {
        var thrown = WithoutRawSockets.Run(() => new RawIPv6MobilityTransport(IPAddress.IPv6Loopback).Dispose());

        var exception = Assert.IsType<RawSocketPermissionException>(thrown);
        Assert.Contains("CAP_NET_RAW", exception.Message);
        Assert.Contains("UDP transport", exception.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", "IPv6 only")]
    [InlineData("::ffff:127.0.0.1", "IPv6 only")]
    [InlineData("::", "not ::")]
    public void A_local_address_the_checksum_cannot_use_is_refused_with_the_reason(string local, string reason)
    {
        var exception = Assert.Throws<ArgumentException>(() => new RawIPv6MobilityTransport(IPAddress.Parse(local)));
        Assert.Contains(reason, exception.Message);
    }

    private Process StartCapture(string pcap)
    {
        var dumpcap = NetworkNamespacePair.Start(namespaces.Second,
            "dumpcap", "-q", "-i", NetworkNamespacePair.SecondInterface, "-f", "ip6 proto 135", "-c", "2", "-w", pcap);
        // dumpcap opens the interface and sets the filter before it creates the file: once the file has its header,
        // every later packet is captured.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.Exists(pcap) || new FileInfo(pcap).Length == 0)
        {
            if (dumpcap.HasExited)
                throw new InvalidOperationException($"dumpcap exited {dumpcap.ExitCode}: {dumpcap.StandardError.ReadToEnd()}");
            Assert.True(DateTime.UtcNow < deadline, "dumpcap did not start capturing within 10 s");
            Thread.Sleep(10);
        }

        return dumpcap;
    }

    private static BlockingCollection<(IPAddress From, byte[] Bytes)> Inbox(IMobilityTransport transport)
    {
        var inbox = new BlockingCollection<(IPAddress, byte[])>();
        transport.Start((from, bytes) => inbox.Add((from.Address, bytes)));
        return inbox;
    }

    private static (IPAddress From, byte[] Bytes) Take(BlockingCollection<(IPAddress From, byte[] Bytes)> inbox)
    {
        Assert.True(inbox.TryTake(out var datagram, TimeSpan.FromSeconds(10)), "nothing arrived within 10 s");
        return datagram;
    }

    private static byte[] Encode(MobilityMessage message, IPAddress source, IPAddress destination)
    {
        var buffer = new byte[MobilityHeaderCodec.MaxLength];
        return buffer[..MobilityHeaderCodec.Encode(message, buffer, source, destination)];
    }

    private static MobilityMessage Decode(byte[] packet, IPAddress source, IPAddress destination)
    {
        Assert.True(MobilityHeaderCodec.TryDecode(packet, source, destination, out var message, out var error), error.Message);
        return message!;
    }

    public void Dispose()
    {
        pair?.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
