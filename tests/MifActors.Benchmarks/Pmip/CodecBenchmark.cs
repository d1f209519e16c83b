using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using MifActors.Pmip.Wire;

namespace MifActors.Benchmarks.Pmip;

/// <summary>
/// Mobility Header codec: encode + decode of an FHRQ with two flow tuples on one thread, decoding into a reused
/// <see cref="FlowHandoverBuffer"/>. The baseline in the same run is a plain copy of the encoded bytes, the floor any
/// codec pays to touch the message. Each rate is the best of several rounds after a timed warm-up, once by the wall
/// clock and once (<c>.cpu</c>) by the thread's CPU time.
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

        var measured = new (string Name, Action Round)[]
        {
            ("pmip-codec.fhrq-2-flows.encode+decode", () => RoundTrips(request, packet, buffer, iterations)),
            ("pmip-codec.fhrq-2-flows.encode", () => Encodes(request, packet, iterations)),
            ("pmip-codec.fhrq-2-flows.decode", () => Decodes(packet.AsSpan(0, length), buffer, iterations)),
            ("pmip-codec.baseline.copy", () =>
            {
                for (var i = 0; i < iterations; i++) packet.AsSpan(0, length).CopyTo(copy);
            }),
        };
        foreach (var (name, round) in measured)
        {
            var (wall, cpu) = BestRates(rounds, iterations, round);
            yield return new BenchResult(name, wall, "messages/s");
            yield return new BenchResult(name + ".cpu", cpu, "messages/cpu-s");
        }

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
    /// The fastest of several rounds, by the wall clock and by this thread's CPU time: on a machine shared with builds
    /// the slower rounds measure the neighbours, not the codec, and CPU time leaves out the time spent descheduled.
    /// </summary>
    private static (double Wall, double Cpu) BestRates(int rounds, int iterations, Action round)
    {
        double wall = 0, cpu = 0;
        for (var i = 0; i < rounds; i++)
        {
            var cpuBefore = ThreadCpuSeconds();
            var stopwatch = Stopwatch.StartNew();
            round();
            var elapsed = stopwatch.Elapsed.TotalSeconds;
            var cpuElapsed = ThreadCpuSeconds() - cpuBefore;
            wall = Math.Max(wall, iterations / elapsed);
            if (cpuElapsed > 0) cpu = Math.Max(cpu, iterations / cpuElapsed);
        }

        return (wall, cpu);
    }

    private const int ClockThreadCpuTime = 3;

    private static double ThreadCpuSeconds() =>
        clock_gettime(ClockThreadCpuTime, out var time) == 0 ? time.Seconds + time.Nanoseconds / 1e9 : double.NaN;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
