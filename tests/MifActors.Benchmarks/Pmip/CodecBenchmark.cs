using System.Diagnostics;
using System.Net;
using MifActors.Pmip.Wire;

namespace MifActors.Benchmarks.Pmip;

/// <summary>
/// Mobility Header codec: encode + decode of an FHRQ with two flow tuples on one thread, decoding into a reused
/// <see cref="FlowHandoverBuffer"/>. The baseline in the same run is a plain copy of the encoded bytes, the floor any
/// codec pays to touch the message.
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
        var iterations = options.Quick ? 2_000_000 : 20_000_000;

        // Warm up so tiering has finished before measuring.
        RoundTrips(request, packet, buffer, 200_000);

        var seconds = Measure(() => RoundTrips(request, packet, buffer, iterations));
        yield return new BenchResult("pmip-codec.fhrq-2-flows.encode+decode", iterations / seconds, "messages/s");

        var encodeSeconds = Measure(() =>
        {
            for (var i = 0; i < iterations; i++) MobilityHeaderCodec.Encode(request, packet);
        });
        yield return new BenchResult("pmip-codec.fhrq-2-flows.encode", iterations / encodeSeconds, "messages/s");

        var decodeSeconds = Measure(() => Decodes(packet.AsSpan(0, length), buffer, iterations));
        yield return new BenchResult("pmip-codec.fhrq-2-flows.decode", iterations / decodeSeconds, "messages/s");

        var copySeconds = Measure(() =>
        {
            for (var i = 0; i < iterations; i++) packet.AsSpan(0, length).CopyTo(copy);
        });
        yield return new BenchResult("pmip-codec.baseline.copy", iterations / copySeconds, "messages/s");

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

    private static double Measure(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalSeconds;
    }
}
