using MifActors.Actors;

namespace MifActors.Benchmarks.Actors;

/// <summary>Bytes retained per idle actor: create 100,000 that have started, force a full GC, divide.</summary>
public sealed class MemoryBenchmark : IBenchmark
{
    private const int Count = 100_000;
    private static int started;

    public string Name => "actors.memory";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        yield return new BenchResult("actors.memory.idle-actor", Measure(() => Props.Create(() => new Idle())), "bytes/actor");
        yield return new BenchResult("actors.memory.idle-receive-actor", Measure(() => Props.Create(() => new IdleReceive())), "bytes/actor");
    }

    private static double Measure(Func<Props> props)
    {
        using var system = ActorSystem.Create("memory");
        var parentProps = props();
        var refs = new IActorRef[Count];
        var before = Retained();
        Volatile.Write(ref started, 0);
        for (var i = 0; i < Count; i++) refs[i] = system.ActorOf(parentProps);
        var spinner = new SpinWait();
        while (Volatile.Read(ref started) < Count) spinner.SpinOnce();
        var after = Retained();
        GC.KeepAlive(refs);
        return Math.Round((after - before) / (double)Count, 1);
    }

    private static long Retained()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class Idle : ActorBase
    {
        protected override void PreStart() => Interlocked.Increment(ref started);

        protected override bool Receive(object message) => false;
    }

    private sealed class IdleReceive : ReceiveActor
    {
        public IdleReceive() => Receive<string>(_ => { });

        protected override void PreStart() => Interlocked.Increment(ref started);
    }
}
