using MifActors.Actors;
using MifActors.Persistence;
using Microsoft.Extensions.Configuration;

// Child process of the kill -9 test: persists counters as fast as it can and prints each event whose handler ran,
// so the parent knows what was confirmed durable at the moment it kills this process.
//   args: <plugin: sqlite | postgresql> <connection string> <actor count>
var plugin = args[0];
var connectionString = args[1];
var actors = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["mifactors:persistence:journal:plugin"] = plugin,
    [$"mifactors:persistence:journal:{plugin}:connection-string"] = connectionString,
    ["mifactors:persistence:snapshot-store:plugin"] = plugin,
    [$"mifactors:persistence:snapshot-store:{plugin}:connection-string"] = connectionString,
}).Build();
var system = ActorSystem.Create("kill-target", new ActorSystemOptions { Configuration = configuration });
for (var i = 0; i < actors; i++)
{
    var pid = "counter-" + i;
    system.ActorOf(Props.Create(() => new Counter(pid)), pid);
}

// The parent kills this process; the timeout only guards against an orphan.
await Task.Delay(TimeSpan.FromSeconds(60));
return 0;

[PersistentManifest("kill-target.counted.v1")]
internal sealed record Counted(long Value);

internal sealed class Counter : ReceivePersistentActor
{
    private static readonly Lock Out = new();
    private long count;
    private bool contiguous = true;

    public Counter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<Counted>(e =>
        {
            contiguous &= e.Value == count + 1;
            count = e.Value;
        });
        Recover<RecoveryCompleted>(_ =>
        {
            Print($"R {PersistenceId} {count} {(contiguous ? "ok" : "gap")}");
            Self.Tell("next");
        });
        Command<string>(_ => Persist(new Counted(count + 1), e =>
        {
            count = e.Value;
            Print($"P {PersistenceId} {e.Value}");
            Self.Tell("next");
        }));
    }

    public override string PersistenceId { get; }

    private static void Print(string line)
    {
        lock (Out) Console.Out.WriteLine(line);
    }
}
