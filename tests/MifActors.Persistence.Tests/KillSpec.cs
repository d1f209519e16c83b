using MifActors.Testing;
using System.Diagnostics;
using System.Globalization;
using MifActors.Persistence.Tests.Support;

namespace MifActors.Persistence.Tests;

/// <summary>
/// Kill -9 at random points: every event whose handler ran (printed by the child) must be recovered afterwards,
/// in order, with no gap and no duplicate. Subclassed per store.
/// </summary>
public abstract class KillSpec(string plugin, string connectionString)
{
    // At least 20 per store (the issue's bar); each kill costs a process start, so not many more.
    private const int Kills = 20;
    private const int Actors = 4;

    [Fact]
    public async Task Every_event_reported_before_a_kill_9_is_recovered_in_order_without_gaps_or_duplicates()
    {
        var random = new Random(4711);
        var confirmed = new Dictionary<string, long>();
        for (var run = 0; run <= Kills; run++)
        {
            using var child = Start();
            var recovered = new Dictionary<string, long>();
            var lastRun = run == Kills;
            var killAfter = random.Next(1, 400);
            var reportedThisRun = 0;
            while (true)
            {
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.NotNull(line);
                var parts = line.Split(' ');
                if (parts[0] == "R")
                {
                    Assert.True(parts[3] == "ok", $"run {run}: {parts[1]} recovered with a gap or a duplicate");
                    var count = long.Parse(parts[2], CultureInfo.InvariantCulture);
                    Assert.True(count >= confirmed.GetValueOrDefault(parts[1]),
                        $"run {run}: {parts[1]} recovered {count} events but {confirmed.GetValueOrDefault(parts[1])} were reported durable");
                    recovered[parts[1]] = count;
                    if (lastRun && recovered.Count == Actors) break;
                    continue;
                }

                Assert.Equal("P", parts[0]);
                var value = long.Parse(parts[2], CultureInfo.InvariantCulture);
                var expected = Math.Max(recovered.GetValueOrDefault(parts[1]), confirmed.GetValueOrDefault(parts[1])) + 1;
                Assert.Equal(expected, value);
                confirmed[parts[1]] = value;
                recovered[parts[1]] = value;
                if (++reportedThisRun >= killAfter && recovered.Count == Actors) break;
            }

            child.Kill();
            await child.WaitForExitAsync();
        }

        Assert.Equal(Actors, confirmed.Count);
    }

    private Process Start()
    {
        var target = Path.Combine(AppContext.BaseDirectory, "MifActors.Persistence.KillTarget.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(target);
        start.ArgumentList.Add(plugin);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(Actors.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the kill target");
    }
}

public sealed class SqliteKillSpec : KillSpec, IDisposable
{
    private readonly string file;

    public SqliteKillSpec()
        : this(StoreConfiguration.NewSqliteFile())
    {
    }

    private SqliteKillSpec(string file)
        : base("sqlite", StoreConfiguration.Sqlite(file)) => this.file = file;

    public void Dispose() => StoreConfiguration.DeleteSqlite(file);
}

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlKillSpec(PostgreSqlServer server) : KillSpec("postgresql", server.ConnectionString);
