using System.Diagnostics;
using MifActors.Persistence;
using MifActors.Persistence.Internal;
using Microsoft.Data.Sqlite;

namespace MifActors.Benchmarks.Persistence;

/// <summary>
/// Where the process's CPU goes per persisted event, part by part: the serializer alone, the SQLite store's write
/// alone (rows per transaction as 100 actors reach), and the same store on a RAM disk, where a sync costs nothing.
/// With <see cref="JournalBenchmark"/>'s 100-actor numbers on the RAM disk, the rest is the actor message path.
/// </summary>
public sealed class JournalCostBenchmark : IBenchmark
{
    private const int RowsPerTransaction = 100;

    public string Name => "persistence-journal-cost";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var events = options.Quick ? 20_000 : 200_000;
        yield return Serializer(events);
        foreach (var folder in Folders())
        {
            var file = Path.Combine(folder.Path, "mifactors-cost-" + Guid.NewGuid().ToString("N") + ".db");
            try
            {
                yield return StoreWrite("Data Source=" + file, folder.Name, options.Quick ? 10_000 : 100_000);
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

    /// <summary>The store's WriteAsync alone, 100 one-row writes of different persistence ids per transaction.</summary>
    private static BenchResult StoreWrite(string connectionString, string where, int events)
    {
        var store = new SqliteJournalStore(connectionString);
        try
        {
            var payload = System.Text.Encoding.UTF8.GetBytes("{\"N\":12345}");
            var sequence = new long[RowsPerTransaction];
            List<AtomicWrite> Batch() => [.. Enumerable.Range(0, RowsPerTransaction).Select(a => new AtomicWrite(
                [new JournalRow("cost-actor-" + a, ++sequence[a], 0, "bench.tick.v1", payload, "bench")]))];

            for (var i = 0; i < 20; i++) store.WriteAsync(Batch(), CancellationToken.None).GetAwaiter().GetResult();
            var batches = Enumerable.Range(0, events / RowsPerTransaction).Select(_ => Batch()).ToList();
            var cpu = CpuTime();
            var watch = Stopwatch.StartNew();
            foreach (var batch in batches) store.WriteAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
            var rate = events / watch.Elapsed.TotalSeconds;
            var perEvent = (CpuTime() - cpu).TotalMicroseconds / events;
            Console.Error.WriteLine($"# store write on {where}: {rate:F0} events/s");
            return new BenchResult($"persistence/cost/sqlite-write-{where}", perEvent, "us/event");
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
