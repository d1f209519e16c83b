using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Hocon;

namespace MifActors.Benchmarks.Actors;

/// <summary>
/// As many client/echo pairs as processors; each client sends a burst, waits for every echo, and repeats.
/// Messages count both directions. The same exchange through raw <see cref="Channel{T}"/> hand-offs runs in the
/// same process as the baseline, and so does every throughput on the fixed dispatcher, to compare with the default
/// thread pool.
/// </summary>
public sealed class PingPongBenchmark : IBenchmark
{
    private const int Burst = 1_000;
    private static readonly object Ping = new();

    public string Name => "actors.pingpong";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var pairs = Environment.ProcessorCount;
        var rounds = options.Quick ? 2_000 : 10_000; // bursts per client
        var repeats = options.Quick ? 2 : 5;

        // Warm-up so tiered JIT has settled before anything is measured.
        RunActors(pairs, 100, 30);
        RunChannels(pairs, 100);

        var baseline = Best(repeats, () => RunChannels(pairs, rounds));
        yield return new BenchResult("actors.pingpong.channel-baseline", baseline, "msgs/s");
        foreach (var throughput in new[] { 1, 10, 30, 100 })
        {
            var rate = Best(repeats, () => RunActors(pairs, rounds, throughput));
            yield return new BenchResult($"actors.pingpong.throughput-{throughput}", rate, "msgs/s");
        }

        foreach (var throughput in new[] { 1, 10, 30, 100 })
        {
            var rate = Best(repeats, () => RunActors(pairs, rounds, throughput, FixedDispatcherConfiguration));
            yield return new BenchResult($"actors.pingpong.fixed-dispatcher.throughput-{throughput}", rate, "msgs/s");
        }
    }

    private static double Best(int repeats, Func<double> run)
    {
        var best = 0.0;
        for (var i = 0; i < repeats; i++) best = Math.Max(best, run());
        return Math.Round(best);
    }

    /// <summary>The configuration that selects the system's own threads instead of the default .NET thread pool.</summary>
    internal static readonly IConfiguration FixedDispatcherConfiguration =
        new ConfigurationBuilder().AddHoconString("mifactors.actor.dispatcher.type = fixed").Build();

    private static double RunActors(int pairs, int rounds, int throughput, IConfiguration? configuration = null)
    {
        using var system = ActorSystem.Create("pingpong", new ActorSystemOptions { Configuration = configuration });
        var done = new CountdownEvent(pairs);
        var clients = new List<IActorRef>();
        for (var i = 0; i < pairs; i++)
        {
            var echo = system.ActorOf(Props.Create(() => new Echo()).WithThroughput(throughput));
            clients.Add(system.ActorOf(Props.Create(() => new Client(echo, rounds, done)).WithThroughput(throughput)));
        }

        var clock = Stopwatch.StartNew();
        foreach (var client in clients) client.Tell(Client.Start);
        done.Wait();
        clock.Stop();
        return 2.0 * pairs * rounds * Burst / clock.Elapsed.TotalSeconds;
    }

    private static double RunChannels(int pairs, int rounds)
    {
        var tasks = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var p = 0; p < pairs; p++)
        {
            var toEcho = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var toClient = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            tasks.Add(Task.Run(async () =>
            {
                var reader = toEcho.Reader;
                var writer = toClient.Writer;
                while (await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    while (reader.TryRead(out var message)) writer.TryWrite(message);
                }

                writer.Complete();
            }));
            tasks.Add(Task.Run(async () =>
            {
                var writer = toEcho.Writer;
                var reader = toClient.Reader;
                for (var r = 0; r < rounds; r++)
                {
                    for (var i = 0; i < Burst; i++) writer.TryWrite(Ping);
                    var received = 0;
                    while (received < Burst)
                    {
                        if (!reader.TryRead(out _))
                        {
                            await reader.WaitToReadAsync().ConfigureAwait(false);
                            continue;
                        }

                        received++;
                    }
                }

                writer.Complete();
            }));
        }

        Task.WaitAll([.. tasks]);
        clock.Stop();
        return 2.0 * pairs * rounds * Burst / clock.Elapsed.TotalSeconds;
    }

    private sealed class Echo : ActorBase
    {
        protected override bool Receive(object message)
        {
            Sender.Tell(message, Self);
            return true;
        }
    }

    private sealed class Client(IActorRef echo, int rounds, CountdownEvent done) : ActorBase
    {
        public static readonly object Start = new();
        private int received;
        private int roundsLeft = rounds;

        protected override bool Receive(object message)
        {
            if (ReferenceEquals(message, Start))
            {
                SendBurst();
                return true;
            }

            if (++received < Burst) return true;
            received = 0;
            if (--roundsLeft > 0)
            {
                SendBurst();
            }
            else
            {
                done.Signal();
            }

            return true;
        }

        private void SendBurst()
        {
            for (var i = 0; i < Burst; i++) echo.Tell(Ping, Self);
        }
    }
}
