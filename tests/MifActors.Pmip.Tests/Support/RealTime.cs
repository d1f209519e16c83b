using Akka.Actor;
using Akka.Configuration;

namespace MifActors.Pmip.Tests.Support;

/// <summary>Helpers for tests on real sockets, real databases and the real scheduler.</summary>
internal static class RealTime
{
    /// <summary>Real sockets, real time: poll, but give up after a generous bound rather than assert on how long it took.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the condition did not hold within {seconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>An actor system with the test's configuration over the seed's policy and the in-memory journal set-up, on the real scheduler.</summary>
    public static ActorSystem InMemorySystem(string name) => ActorSystem.Create(name,
        ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.Actor.HashedWheelTimerScheduler\"")
            .WithFallback(PmipTestConfig.Scenario()));
}
