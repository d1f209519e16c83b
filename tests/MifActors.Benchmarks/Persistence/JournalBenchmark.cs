using MifActors.Testing;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Persistence;
using MifActors.Persistence.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace MifActors.Benchmarks.Persistence;

/// <summary>
/// Journal throughput on SQLite and PostgreSQL in one run, next to the disk's fsync rate measured in the same run
/// (the bound for one actor awaiting each event).
/// </summary>
public sealed class JournalBenchmark : IBenchmark
{
    public string Name => "persistence-journal";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var quick = options.Quick;
        yield return new BenchResult("persistence/fsync-baseline", FsyncRate(quick ? 300 : 3000), "fsync/s");

        var file = Path.Combine(Path.GetTempPath(), "mifactors-bench-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            foreach (var result in RunStore("sqlite", "Data Source=" + file, quick)) yield return result;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
        }

        using var server = new PostgreSqlServer();
        foreach (var result in RunStore("postgresql", server.ConnectionString, quick)) yield return result;
    }

    private static IEnumerable<BenchResult> RunStore(string plugin, string connectionString, bool quick)
    {
        using var system = CreateSystem(plugin, connectionString);
        var journal = MifActors.Persistence.Persistence.Get(system).JournalWriter;
        var prefix = $"persistence/{plugin}/";
        // Measured again right before the store's own numbers: on a shared machine the rate drifts within a run.
        yield return new BenchResult(prefix + "fsync-baseline", FsyncRate(quick ? 300 : 3000), "fsync/s");
        // Awaiting each event: the actor persists the next event from the handler of the previous one, as an actor
        // that must not act before its event is durable does. The ask variant adds a client round trip per event.
        foreach (var result in Measured(prefix + "persist-one-actor-awaiting-each", journal, () => ManyActors(system, 1, quick ? 300 : 3000))) yield return result;
        foreach (var result in Measured(prefix + "persist-one-actor-ask-each", journal, () => OneActor(system, quick ? 300 : 3000))) yield return result;
        foreach (var result in Measured(prefix + "persist-100-actors", journal, () => ManyActors(system, 100, quick ? 50 : 500), system)) yield return result;
        foreach (var result in DispatcherComparison(plugin, connectionString, quick)) yield return result;
        var settings = new StoreSettings(plugin == "sqlite" ? StorePlugin.Sqlite : StorePlugin.PostgreSql, connectionString);
        foreach (var result in Measured(prefix + "recovery", null, () => Recovery(system, settings, quick ? 20_000 : 200_000))) yield return result;
    }

    /// <summary>
    /// 100 actors persisting at once on the fixed dispatcher and on the thread pool, taking turns three times so
    /// that a change in the machine's load hits both: the journal writer runs on pool threads and competes with idle
    /// workers for the cores, so this is where a dispatcher that spins too eagerly shows.
    /// </summary>
    private static IEnumerable<BenchResult> DispatcherComparison(string plugin, string connectionString, bool quick)
    {
        for (var round = 0; round < 3; round++)
        {
            foreach (var type in new[] { "fixed", "thread-pool" })
            {
                using var system = CreateSystem(plugin, connectionString, type);
                var journal = MifActors.Persistence.Persistence.Get(system).JournalWriter;
                var name = $"persistence/{plugin}/persist-100-actors.{type}-dispatcher";
                foreach (var result in Measured(name, journal, () => ManyActors(system, 100, quick ? 100 : 500), system)) yield return result;
            }
        }
    }

    /// <summary>An actor system whose journal and snapshot store use <paramref name="plugin"/>.</summary>
    /// <param name="plugin">sqlite or postgresql.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="dispatcher">The dispatcher type, also put into the system's name; null: the default from reference.conf.</param>
    internal static ActorSystem CreateSystem(string plugin, string connectionString, string? dispatcher = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mifactors:persistence:journal:plugin"] = plugin,
            [$"mifactors:persistence:journal:{plugin}:connection-string"] = connectionString,
            ["mifactors:persistence:snapshot-store:plugin"] = plugin,
            [$"mifactors:persistence:snapshot-store:{plugin}:connection-string"] = connectionString,
            ["mifactors:actor:dispatcher:type"] = dispatcher,
        }.Where(kv => kv.Value is not null)).Build();
        return ActorSystem.Create("bench-" + plugin + (dispatcher is null ? "" : "-" + dispatcher), new ActorSystemOptions { Configuration = configuration });
    }

    /// <summary>
    /// The rate, and what explains it on a loaded machine: this process's CPU time per event (the server's is not
    /// counted for PostgreSQL) and the events per transaction group commit reached; given the system, also this
    /// process's context switches per event and, on the fixed dispatcher, how its workers' idle spins went.
    /// </summary>
    internal static IEnumerable<BenchResult> Measured(string name, JournalWriter? journal, Func<(double Rate, long Events, TimeSpan Cpu)> run, ActorSystem? system = null)
    {
        var transactions = journal?.Transactions ?? 0;
        var rows = journal?.RowsWritten ?? 0;
        var switches = ContextSwitches();
        var idle = system is null ? null : DispatcherCounters(system.Name);
        var (rate, events, cpu) = run();
        var switched = ContextSwitches() - switches;
        var idleAfter = system is null ? null : DispatcherCounters(system.Name);
        yield return new BenchResult(name, rate, "events/s");
        yield return new BenchResult(name + "/cpu", cpu.TotalMicroseconds / events, "us/event");
        if (system is not null)
        {
            yield return new BenchResult(name + "/context-switches", (double)switched / events, "per event");
        }

        foreach (var (counter, value) in idleAfter ?? [])
        {
            yield return new BenchResult($"{name}/{counter}", (double)(value - idle!.GetValueOrDefault(counter)) / events, "per event");
        }
        if (journal is not null && journal.Transactions > transactions)
        {
            yield return new BenchResult(name + "/batch", (double)(journal.RowsWritten - rows) / (journal.Transactions - transactions), "events/transaction");
        }
    }

    private static (double, long, TimeSpan) OneActor(ActorSystem system, int events)
    {
        var actor = system.ActorOf(Props.Create(() => new BenchActor("one-" + Guid.NewGuid().ToString("N"), null)));
        actor.Ask<long>(new Next(), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        var cpu = CpuTime();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            actor.Ask<long>(new Next(), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }

        return (events / watch.Elapsed.TotalSeconds, events, CpuTime() - cpu);
    }

    internal static (double, long, TimeSpan) ManyActors(ActorSystem system, int actors, int eventsEach)
    {
        var refs = Enumerable.Range(0, actors)
            .Select(i => system.ActorOf(Props.Create(() => new BenchActor($"many-{i}-" + Guid.NewGuid().ToString("N"), null))))
            .ToList();
        Task.WaitAll(refs.Select(r => r.Ask<long>(new Next(), TimeSpan.FromSeconds(30))));
        var cpu = CpuTime();
        var watch = Stopwatch.StartNew();
        Task.WaitAll(refs.Select(r => r.Ask<long>(new RunMany(eventsEach), TimeSpan.FromSeconds(120))));
        return (actors * eventsEach / watch.Elapsed.TotalSeconds, actors * eventsEach, CpuTime() - cpu);
    }

    private static (double, long, TimeSpan) Recovery(ActorSystem system, StoreSettings settings, int events)
    {
        var pid = "recovery-" + Guid.NewGuid().ToString("N");
        var store = Stores.Journal(settings);
        try
        {
            for (var from = 1; from <= events; from += 10_000)
            {
                var rows = Enumerable.Range(from, Math.Min(10_000, events - from + 1))
                    .Select(n => new JournalRow(pid, n, 0, "bench.tick.v1", System.Text.Encoding.UTF8.GetBytes($"{{\"N\":{n}}}"), "bench"))
                    .ToList();
                store.WriteAsync([new AtomicWrite(rows)], CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var cpu = CpuTime();
        var recovered = new TaskCompletionSource<long>();
        var watch = Stopwatch.StartNew();
        system.ActorOf(Props.Create(() => new BenchActor(pid, recovered)));
        var count = recovered.Task.WaitAsync(TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        var elapsed = watch.Elapsed;
        var cpuUsed = CpuTime() - cpu;
        if (count != events) throw new InvalidOperationException($"recovered {count} events, expected {events}");
        return (events / elapsed.TotalSeconds, events, cpuUsed);
    }

    /// <summary>The fixed dispatcher's idle-spin counters of the system named <paramref name="systemName"/>; empty on the thread pool.</summary>
    internal static Dictionary<string, long> DispatcherCounters(string systemName)
    {
        var values = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "MifActors.Actors.Dispatcher") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "system", Value: string s } && s == systemName)
                {
                    values[instrument.Name.Replace("mifactors.dispatcher.", "", StringComparison.Ordinal)] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    /// <summary>Voluntary and involuntary context switches of this process's live threads, from /proc (0 elsewhere).</summary>
    internal static long ContextSwitches()
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (IOException)
                {
                    // the thread exited while we read
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        return total;
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>4 KiB writes, each followed by a flush to disk (fsync), on a temp file in the same folder as the SQLite file.</summary>
    internal static double FsyncRate(int iterations)
    {
        var file = Path.Combine(Path.GetTempPath(), "mifactors-fsync-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            var block = new byte[4096];
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                stream.Position = 0;
                stream.Write(block);
                stream.Flush(flushToDisk: true);
            }

            return iterations / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Next;

    private sealed record RunMany(int Count);

    [PersistentManifest("bench.tick.v1")]
    private sealed record Tick(long N);

    private sealed class BenchActor : ReceivePersistentActor
    {
        private long count;
        private int remaining;

        public BenchActor(string persistenceId, TaskCompletionSource<long>? recovered)
        {
            PersistenceId = persistenceId;
            Recover<Tick>(t => count = t.N);
            Recover<RecoveryCompleted>(_ => recovered?.TrySetResult(count));
            Command<Next>(_ => Persist(new Tick(count + 1), t =>
            {
                count = t.N;
                Sender.Tell(t.N);
            }));
            Command<RunMany>(r =>
            {
                remaining = r.Count;
                PersistNext();
            });
        }

        public override string PersistenceId { get; }

        private void PersistNext() => Persist(new Tick(count + 1), t =>
        {
            count = t.N;
            if (--remaining > 0) PersistNext();
            else Sender.Tell(t.N);
        });
    }
}
