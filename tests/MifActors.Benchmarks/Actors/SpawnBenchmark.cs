using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;

namespace MifActors.Benchmarks.Actors;

/// <summary>A tree 7 levels deep with 10 children per node (1,111,111 actors); each node sums its subtree.</summary>
public sealed class SpawnBenchmark : IBenchmark
{
    public string Name => "actors.spawn";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var levels = options.Quick ? 6 : 7;
        var expected = 0L;
        for (long level = 0, width = 1; level < levels; level++, width *= 10) expected += width;

        Spawn(4); // warm-up
        var gen0Before = GC.CollectionCount(0);
        var best = double.MaxValue;
        var bestPause = TimeSpan.Zero;
        for (var i = 0; i < (options.Quick ? 2 : 3); i++)
        {
            var (seconds, total, pause) = Spawn(levels);
            if (total != expected) throw new InvalidOperationException($"spawn tree summed {total}, expected {expected}");
            if (seconds < best)
            {
                best = seconds;
                bestPause = pause;
            }
        }

        yield return new BenchResult($"actors.spawn.tree-{expected}", Math.Round(best, 3), "s");
        yield return new BenchResult("actors.spawn.rate", Math.Round(expected / best), "actors/s");
        yield return new BenchResult("actors.spawn.gc-pause-in-best-run", Math.Round(bestPause.TotalSeconds, 3), "s");
        yield return new BenchResult("actors.spawn.allocated-per-actor", Math.Round(LastAllocatedPerActor), "bytes");
        yield return new BenchResult("actors.spawn.gen0-collections", GC.CollectionCount(0) - gen0Before, "collections");

        // The same tree on the fixed dispatcher, to compare with the default thread pool.
        var onFixed = double.MaxValue;
        for (var i = 0; i < (options.Quick ? 2 : 3); i++) onFixed = Math.Min(onFixed, Spawn(levels, PingPongBenchmark.FixedDispatcherConfiguration).Seconds);
        yield return new BenchResult($"actors.spawn.fixed-dispatcher.tree-{expected}", Math.Round(onFixed, 3), "s");
    }

    private static double LastAllocatedPerActor;

    private static (double Seconds, long Total, TimeSpan GcPause) Spawn(int levels, IConfiguration? configuration = null)
    {
        using var system = ActorSystem.Create("spawn", new ActorSystemOptions { Configuration = configuration });
        var result = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pauseBefore = GC.GetTotalPauseDuration();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        system.ActorOf(Props.Create(() => new Node(levels - 1, result)), "root");
        var total = result.Task.GetAwaiter().GetResult();
        clock.Stop();
        LastAllocatedPerActor = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / (double)total;
        return (clock.Elapsed.TotalSeconds, total, GC.GetTotalPauseDuration() - pauseBefore);
    }

    private sealed class Node(int levelsBelow, TaskCompletionSource<long>? result) : ActorBase
    {
        private long sum = 1;
        private int pending;

        protected override void PreStart()
        {
            if (levelsBelow == 0)
            {
                Report();
                return;
            }

            pending = 10;
            var props = Props.Create(() => new Node(levelsBelow - 1, null));
            for (var i = 0; i < 10; i++) Context.ActorOf(props);
        }

        protected override bool Receive(object message)
        {
            sum += (long)message;
            if (--pending == 0) Report();
            return true;
        }

        private void Report()
        {
            if (result is null)
            {
                Context.Parent.Tell(sum, Self);
            }
            else
            {
                result.TrySetResult(sum);
            }
        }
    }
}
