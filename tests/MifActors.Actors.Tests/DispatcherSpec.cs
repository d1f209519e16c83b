using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using MifActors.Actors.Internal;
using MifActors.Actors.Pattern;
using MifActors.Actors.Tests.Support;
using MifActors.Hocon;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class DispatcherSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private static ActorSystem CreateSystem(string name, string hocon) =>
        ActorSystem.Create(name, new ActorSystemOptions { Configuration = new ConfigurationBuilder().AddHoconString(hocon).Build() });

    /// <summary>Replies with the name of the thread its turn ran on and whether that was a thread-pool thread.</summary>
    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => ReceiveAny(_ => Sender.Tell((Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread)));
    }

    /// <summary>Answers "ping" with "pong".</summary>
    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => Receive<string>(s => s == "ping", _ => Sender.Tell("pong"));
    }

    /// <summary>On "go", blocks its thread on an Ask to the ponger and replies with the answer.</summary>
    private sealed class BlockingAsker : ReceiveActor
    {
        public BlockingAsker(IActorRef ponger) => Receive<string>(s => s == "go", _ =>
        {
            Sender.Tell(ponger.Ask<string>("ping", TimeSpan.FromSeconds(20)).GetAwaiter().GetResult());
        });
    }

    /// <summary>Blocks in "block" until the gate opens.</summary>
    private sealed class Gate : ReceiveActor
    {
        public Gate(ManualResetEventSlim entered, ManualResetEventSlim gate) => Receive<string>(s => s == "block", _ =>
        {
            entered.Set();
            gate.Wait(TimeSpan.FromSeconds(10));
        });
    }

    [Fact]
    public void Turns_run_on_the_systems_own_threads_by_default()
    {
        var reporter = Sys.ActorOf(Props.Create<ThreadReporter>());
        reporter.Tell("where", TestActor);
        var (name, pooled) = ExpectMsg<(string?, bool)>();
        Assert.False(pooled);
        Assert.Contains("-actor-", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("thread-pool")]
    [InlineData("fixed")]
    public async Task A_system_runs_its_turns_on_the_threads_of_the_dispatcher_it_is_configured_for(string type)
    {
        var system = CreateSystem(type == "fixed" ? "fixed" : "pooled", $"mifactors.actor.dispatcher.type = {type}");
        try
        {
            var reporter = system.ActorOf(Props.Create<ThreadReporter>());
            var (name, pooled) = await reporter.Ask<(string?, bool)>("where", TimeSpan.FromSeconds(10));
            Assert.Equal(type == "thread-pool", pooled);
            if (type == "fixed") Assert.StartsWith("fixed-actor-", name, StringComparison.Ordinal);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void An_unknown_dispatcher_type_is_rejected_with_an_error_naming_the_key()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => CreateSystem("bad", "mifactors.actor.dispatcher.type = fibers"));
        Assert.Contains("mifactors:actor:dispatcher:type is \"fibers\"", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminating_two_hundred_systems_lets_every_worker_thread_exit()
    {
        var threads = new List<Thread>();
        for (var i = 0; i < 200; i++)
        {
            var system = CreateSystem($"short-lived-{i}", "mifactors.actor.dispatcher.type = fixed");
            var ponger = system.ActorOf(Props.Create<Ponger>());
            Assert.Equal("pong", await ponger.Ask<string>("ping", TimeSpan.FromSeconds(10)));
            threads.AddRange(((FixedDispatcher)system.Dispatcher).Threads);
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(200 * Environment.ProcessorCount, threads.Count);
        Assert.All(threads, thread => Assert.True(thread.Join(TimeSpan.FromSeconds(10)), $"{thread.Name} is still running"));
    }

    [Fact]
    public async Task An_actor_blocking_the_only_worker_on_an_ask_still_gets_its_answer()
    {
        var system = CreateSystem("blocking", "mifactors.actor.dispatcher { type = fixed, threads = 1 }");
        try
        {
            var ponger = system.ActorOf(Props.Create<Ponger>());
            var asker = system.ActorOf(Props.Create(() => new BlockingAsker(ponger)));
            Assert.Equal("pong", await asker.Ask<string>("go", TimeSpan.FromSeconds(20)));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Idle_workers_park_once_their_spin_is_over()
    {
        var system = CreateSystem("idle", "mifactors.actor.dispatcher { type = fixed, threads = 2 }");
        try
        {
            var ponger = system.ActorOf(Props.Create<Ponger>());
            for (var i = 0; i < 100; i++) Assert.Equal("pong", await ponger.Ask<string>("ping", TimeSpan.FromSeconds(10)));

            var dispatcher = (FixedDispatcher)system.Dispatcher;
            AwaitCondition(() => dispatcher.ParkedWorkers == 2, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Parks_and_wake_ups_are_counted_on_the_dispatcher_meter_under_the_systems_name()
    {
        var system = CreateSystem("metered", "mifactors.actor.dispatcher { type = fixed, threads = 2 }");
        try
        {
            var ponger = system.ActorOf(Props.Create<Ponger>());
            var dispatcher = (FixedDispatcher)system.Dispatcher;
            for (var i = 0; i < 3; i++)
            {
                // Each ping arrives with both workers parked, so it needs a wake-up, and the spin after it ends in a park.
                AwaitCondition(() => dispatcher.ParkedWorkers == 2, TimeSpan.FromSeconds(10));
                Assert.Equal("pong", await ponger.Ask<string>("ping", TimeSpan.FromSeconds(10)));
            }

            AwaitCondition(() => dispatcher.ParkedWorkers == 2, TimeSpan.FromSeconds(10));
            var counters = ReadDispatcherMeter("metered");
            Assert.InRange(counters["mifactors.dispatcher.wakes"], 3, long.MaxValue);
            Assert.InRange(counters["mifactors.dispatcher.parks"], 2 + 3, long.MaxValue);
            Assert.Contains("mifactors.dispatcher.spins-that-found-work", counters.Keys);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task After_scheduled_turns_start_completes_behind_the_mailboxes_told_before_it()
    {
        var system = CreateSystem("after", OneWorkerNoStarvationCheck);
        try
        {
            using var gate = HoldTheOnlyWorker(system);
            var probe = CreateTestProbe();

            // Told from this thread while the only worker is held: all three wait in the shared queue.
            var forwarders = Enumerable.Range(0, 3).Select(_ => system.ActorOf(Props.Create(() => new Forwarder(probe)))).ToList();
            for (var i = 0; i < forwarders.Count; i++) forwarders[i].Tell(i);
            var after = system.AfterScheduledTurnsStart().ContinueWith(_ => probe.Ref.Tell("after"), TaskScheduler.Default);
            gate.Set();

            for (var i = 0; i < forwarders.Count; i++) probe.ExpectMsg(i);
            probe.ExpectMsg("after");
            await after.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private const string OneWorkerNoStarvationCheck = "mifactors.actor.dispatcher { type = fixed, threads = 1, starvation-check = 0 }";

    /// <summary>Blocks the system's only worker inside a turn until the returned gate is set.</summary>
    private static ManualResetEventSlim HoldTheOnlyWorker(ActorSystem system)
    {
        using var entered = new ManualResetEventSlim();
        var gate = new ManualResetEventSlim();
        system.ActorOf(Props.Create(() => new Gate(entered, gate))).Tell("block");
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        return gate;
    }

    private static Dictionary<string, long> ReadDispatcherMeter(string systemName)
    {
        var values = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FixedDispatcher.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "system", Value: string name } && name == systemName) values[instrument.Name] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    [Fact]
    public async Task With_one_worker_a_busy_actor_gives_way_to_another_after_its_throughput()
    {
        var system = CreateSystem("fair", OneWorkerNoStarvationCheck);
        try
        {
            using var gate = HoldTheOnlyWorker(system);
            var probe = CreateTestProbe();

            // Both mailboxes are queued while the only worker is held, the busy one first.
            var busy = system.ActorOf(Props.Create(() => new Forwarder(probe)).WithThroughput(1));
            var other = system.ActorOf(Props.Create(() => new Forwarder(probe)));
            for (var i = 0; i < 200; i++) busy.Tell(i);
            other.Tell("other");
            gate.Set();

            var received = probe.ReceiveN(201);
            Assert.InRange(received.ToList().IndexOf("other"), 0, 4);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
