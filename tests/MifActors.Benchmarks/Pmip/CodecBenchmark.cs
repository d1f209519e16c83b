using System.Diagnostics;
using System.Net;
using MifActors.Pmip.Wire;

namespace MifActors.Benchmarks.Pmip;

/// <summary>
/// Mobility Header codec: encode + decode of an FHRQ with two flow tuples on one thread, decoding into a reused
/// <see cref="FlowHandoverBuffer"/>. The baseline in the same run is a plain copy of the encoded bytes, the floor any
/// codec pays to touch the message. Each rate is the best of several rounds after a timed warm-up.
/// </summary>
public sealed class CodecBenchmark : IBenchmark
{
    public string Name => "pmip-codec";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var request = new FlowHandoverRequest(7, false, 300, MobileNodeIdentifier.Nai("mn1@example.net"), new[]
        {
            new FlowTuple(FlowAddress.Host(IPAddress.Parse("2001:db8:1:2::100")), FlowAddress.AnyIPv6, 0, 443,
                PhbId.Default, PhbId.Default),
            new FlowTuple(FlowAddress.Host(IPAddress.Parse("10.1.2.3")), FlowAddress.Host(IPAddress.Parse("198.51.100.7")),
                5060, 5060, PhbId.ExpeditedForwarding, PhbId.ExpeditedForwarding),
        });
        var packet = new byte[MobilityHeaderCodec.MaxLength];
        var copy = new byte[MobilityHeaderCodec.MaxLength];
        var buffer = new FlowHandoverBuffer();
        var length = MobilityHeaderCodec.Encode(request, packet);
        var iterations = options.Quick ? 500_000 : 4_000_000;
        var rounds = options.Quick ? 3 : 5;

        // Warm up long enough for tiered compilation to install the optimised code before anything is timed.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(options.Quick ? 0.5 : 1.5))
        {
            RoundTrips(request, packet, buffer, 50_000);
            Decodes(packet.AsSpan(0, length), buffer, 50_000);
        }

        yield return new BenchResult("pmip-codec.fhrq-2-flows.encode+decode",
            BestRate(rounds, iterations, () => RoundTrips(request, packet, buffer, iterations)), "messages/s");
        yield return new BenchResult("pmip-codec.fhrq-2-flows.encode",
            BestRate(rounds, iterations, () => Encodes(request, packet, iterations)), "messages/s");
        yield return new BenchResult("pmip-codec.fhrq-2-flows.decode",
            BestRate(rounds, iterations, () => Decodes(packet.AsSpan(0, length), buffer, iterations)), "messages/s");
        yield return new BenchResult("pmip-codec.baseline.copy", BestRate(rounds, iterations, () =>
        {
            for (var i = 0; i < iterations; i++) packet.AsSpan(0, length).CopyTo(copy);
        }), "messages/s");

        const int allocationRounds = 100_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Decodes(packet.AsSpan(0, length), buffer, allocationRounds);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        yield return new BenchResult("pmip-codec.fhrq-2-flows.decode-allocated", (double)allocated / allocationRounds, "bytes/decode");

        before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrips(request, packet, buffer, allocationRounds);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        yield return new BenchResult("pmip-codec.fhrq-2-flows.encode+decode-allocated", (double)allocated / allocationRounds, "bytes/message");
    }

    private static void RoundTrips(FlowHandoverRequest request, byte[] packet, FlowHandoverBuffer buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var length = MobilityHeaderCodec.Encode(request, packet);
            if (!MobilityHeaderCodec.TryDecode(packet.AsSpan(0, length), buffer, out var error))
                throw new InvalidOperationException(error.Message);
        }
    }

    private static void Decodes(ReadOnlySpan<byte> packet, FlowHandoverBuffer buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!MobilityHeaderCodec.TryDecode(packet, buffer, out var error))
                throw new InvalidOperationException(error.Message);
        }
    }

    private static void Encodes(FlowHandoverRequest request, byte[] packet, int count)
    {
        for (var i = 0; i < count; i++) MobilityHeaderCodec.Encode(request, packet);
    }

    /// <summary>
    /// The fastest of several rounds: on a machine shared with builds, the slower rounds measure the neighbours, not
    /// the codec.
    /// </summary>
    private static double BestRate(int rounds, int iterations, Action round)
    {
        var best = 0.0;
        for (var i = 0; i < rounds; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            round();
            best = Math.Max(best, iterations / stopwatch.Elapsed.TotalSeconds);
        }

        return best;
    }
}
