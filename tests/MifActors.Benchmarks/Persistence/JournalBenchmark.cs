using System.Diagnostics;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Persistence;
using MifActors.Persistence.Internal;
using MifActors.Persistence.Tests.Support;
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
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mifactors:persistence:journal:plugin"] = plugin,
            [$"mifactors:persistence:journal:{plugin}:connection-string"] = connectionString,
            ["mifactors:persistence:snapshot-store:plugin"] = plugin,
            [$"mifactors:persistence:snapshot-store:{plugin}:connection-string"] = connectionString,
        }).Build();
        using var system = ActorSystem.Create("bench-" + plugin, new ActorSystemOptions { Configuration = configuration });

        yield return new BenchResult($"persistence/{plugin}/persist-one-actor-awaiting-each", OneActor(system, quick ? 300 : 3000), "events/s");
        yield return new BenchResult($"persistence/{plugin}/persist-100-actors", ManyActors(system, 100, quick ? 50 : 500), "events/s");
        var settings = new StoreSettings(plugin == "sqlite" ? StorePlugin.Sqlite : StorePlugin.PostgreSql, connectionString);
        yield return new BenchResult($"persistence/{plugin}/recovery", Recovery(system, settings, quick ? 20_000 : 200_000), "events/s");
    }

    private static double OneActor(ActorSystem system, int events)
    {
        var actor = system.ActorOf(Props.Create(() => new BenchActor("one-" + Guid.NewGuid().ToString("N"), null)));
        actor.Ask<long>(new Next(), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            actor.Ask<long>(new Next(), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }

        return events / watch.Elapsed.TotalSeconds;
    }

    private static double ManyActors(ActorSystem system, int actors, int eventsEach)
    {
        var refs = Enumerable.Range(0, actors)
            .Select(i => system.ActorOf(Props.Create(() => new BenchActor($"many-{i}-" + Guid.NewGuid().ToString("N"), null))))
            .ToList();
        Task.WaitAll(refs.Select(r => r.Ask<long>(new Next(), TimeSpan.FromSeconds(30))));
        var watch = Stopwatch.StartNew();
        Task.WaitAll(refs.Select(r => r.Ask<long>(new RunMany(eventsEach), TimeSpan.FromSeconds(120))));
        return actors * eventsEach / watch.Elapsed.TotalSeconds;
    }

    private static double Recovery(ActorSystem system, StoreSettings settings, int events)
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

        var recovered = new TaskCompletionSource<long>();
        var watch = Stopwatch.StartNew();
        system.ActorOf(Props.Create(() => new BenchActor(pid, recovered)));
        var count = recovered.Task.WaitAsync(TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        var elapsed = watch.Elapsed;
        if (count != events) throw new InvalidOperationException($"recovered {count} events, expected {events}");
        return events / elapsed.TotalSeconds;
    }

    /// <summary>4 KiB writes, each followed by a flush to disk (fsync), on a temp file in the same folder as the SQLite file.</summary>
    private static double FsyncRate(int iterations)
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
