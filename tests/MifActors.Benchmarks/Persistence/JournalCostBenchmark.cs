using MifActors.Testing;
using System.Diagnostics;
using MifActors.Persistence;
using MifActors.Persistence.Internal;
using Microsoft.Data.Sqlite;

namespace MifActors.Benchmarks.Persistence;

/// <summary>
/// Where the process's CPU goes per persisted event, part by part: the serializer alone; the SQLite store's write
/// alone (100 rows per transaction, as 100 actors reach) on the disk and on a RAM disk, where a sync costs nothing;
/// 100 actors persisting through the whole path on both (the difference to the store alone is the actor message
/// path); the PostgreSQL store's write alone, one row and 100 rows per transaction.
/// </summary>
public sealed class JournalCostBenchmark : IBenchmark
{
    private const int RowsPerTransaction = 100;

    public string Name => "journal-cost";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var events = options.Quick ? 20_000 : 200_000;
        yield return Serializer(events);
        foreach (var folder in Folders())
        {
            var file = Path.Combine(folder.Path, "mifactors-cost-" + Guid.NewGuid().ToString("N") + ".db");
            try
            {
                var settings = new StoreSettings(StorePlugin.Sqlite, "Data Source=" + file);
                foreach (var result in StoreWrite(settings, "sqlite-" + folder.Name, RowsPerTransaction, options.Quick ? 10_000 : 100_000)) yield return result;
                using var system = JournalBenchmark.CreateSystem("sqlite", "Data Source=" + file);
                var journal = MifActors.Persistence.Persistence.Get(system).JournalWriter;
                foreach (var result in JournalBenchmark.Measured(
                    $"persistence/cost/sqlite-100-actors-{folder.Name}", journal, () => JournalBenchmark.ManyActors(system, 100, options.Quick ? 50 : 500)))
                {
                    yield return result;
                }
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
            }
        }

        using var server = new PostgreSqlServer();
        var postgres = new StoreSettings(StorePlugin.PostgreSql, server.ConnectionString);
        foreach (var result in StoreWrite(postgres, "postgresql", 1, options.Quick ? 300 : 3000)) yield return result;
        foreach (var result in StoreWrite(postgres, "postgresql", RowsPerTransaction, options.Quick ? 10_000 : 100_000)) yield return result;
    }

    /// <summary>The temp folder (the disk) and, where there is one, a RAM disk: fsync on tmpfs costs nothing.</summary>
    private static IEnumerable<(string Name, string Path)> Folders()
    {
        yield return ("disk", Path.GetTempPath());
        if (Directory.Exists("/dev/shm")) yield return ("ramdisk", "/dev/shm");
    }

    private static BenchResult Serializer(int events)
    {
        for (var i = 0; i < 1_000; i++) PersistentSerializer.Serialize(new Tick(i));
        var cpu = CpuTime();
        for (var i = 0; i < events; i++) PersistentSerializer.Serialize(new Tick(i));
        return new BenchResult("persistence/cost/serialize", (CpuTime() - cpu).TotalMicroseconds / events, "us/event");
    }

    /// <summary>
    /// The store's WriteAsync alone, awaited one transaction after the other, each of <paramref name="rows"/> one-row
    /// writes of different persistence ids (as that many actors each awaiting its events reach).
    /// </summary>
    private static IEnumerable<BenchResult> StoreWrite(StoreSettings settings, string where, int rows, int events)
    {
        var store = Stores.Journal(settings);
        try
        {
            var payload = System.Text.Encoding.UTF8.GetBytes("{\"N\":12345}");
            var run = Guid.NewGuid().ToString("N");
            var sequence = new long[rows];
            List<AtomicWrite> Batch() => [.. Enumerable.Range(0, rows).Select(a => new AtomicWrite(
                [new JournalRow($"cost-{run}-{a}", ++sequence[a], 0, "bench.tick.v1", payload, "bench")]))];

            for (var i = 0; i < 20; i++) store.WriteAsync(Batch(), CancellationToken.None).GetAwaiter().GetResult();
            var batches = Enumerable.Range(0, events / rows).Select(_ => Batch()).ToList();
            var cpu = CpuTime();
            var watch = Stopwatch.StartNew();
            foreach (var batch in batches) store.WriteAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
            var name = $"persistence/cost/{where}-write-{rows}-per-transaction";
            yield return new BenchResult(name, events / watch.Elapsed.TotalSeconds, "events/s");
            yield return new BenchResult(name + "/cpu", (CpuTime() - cpu).TotalMicroseconds / events, "us/event");
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    [PersistentManifest("bench.cost-tick.v1")]
    private sealed record Tick(long N);
}
