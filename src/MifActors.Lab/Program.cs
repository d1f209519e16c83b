using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Lab;

// The main job, for now: a small tour of the actor core on a simulated host with two interfaces.
// Later issues replace it with the scenario lab (MIF host + PMIPv6 network on the simulated network).
using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Critical));
// hocon/reference.conf underneath, MIFACTORS_* environment variables on top (docs/configuration.md).
var configuration = new ConfigurationBuilder().AddEnvironmentVariables("MIFACTORS_").Build();
var system = ActorSystem.Create("lab", new ActorSystemOptions { LoggerFactory = logging, Configuration = configuration });
Console.WriteLine($"throughput {system.Settings.Throughput} messages per turn (mifactors.actor.throughput)");

var host = system.ActorOf(Props.Create(() => new DemoHost(["wlan0", "lte0"])), "host");
Console.WriteLine($"started {host.Path}");

var status = await StatusWhen(s => s.Interfaces.Count == 2);
Console.WriteLine($"interfaces up: {string.Join(", ", status.Interfaces)}");

// An interface actor crashes; its supervisor restarts it and it re-announces itself.
host.Tell(new DemoHost.CrashInterface("wlan0"));
status = await StatusWhen(s => s.Restarts == 1);
Console.WriteLine($"after a crash of wlan0: {string.Join(", ", status.Interfaces)} (restarts: {status.Restarts})");

// An interface goes away for good: the host watches it and hears of its end.
host.Tell(new DemoHost.RemoveInterface("lte0"));
status = await StatusWhen(s => s.Interfaces.Count == 1);
Console.WriteLine($"after lte0 went away: {string.Join(", ", status.Interfaces)}");

var sw = System.Diagnostics.Stopwatch.StartNew();
var echoed = await host.Ask<int>(new DemoHost.PingInterfaces(100_000), TimeSpan.FromSeconds(30));
Console.WriteLine($"{echoed:N0} messages through the interface actors in {sw.ElapsedMilliseconds} ms");

await system.Terminate();
Console.WriteLine("system terminated");

// The host's children announce themselves asynchronously: ask until the status shows the step's effect.
async Task<DemoHost.Status> StatusWhen(Func<DemoHost.Status, bool> done)
{
    var deadline = DateTime.UtcNow.AddSeconds(5);
    while (true)
    {
        var current = await host.Ask<DemoHost.Status>(new DemoHost.GetStatus(), TimeSpan.FromSeconds(5));
        if (done(current) || DateTime.UtcNow > deadline) return current;
        await Task.Delay(10);
    }
}
