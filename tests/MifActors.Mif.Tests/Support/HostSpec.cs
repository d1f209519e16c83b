using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using MifActors.Mif.Api;
using MifActors.Mif.Host;
using MifActors.Mif.Network.Simulated;
using Xunit.Abstractions;

namespace MifActors.Mif.Tests.Support;

/// <summary>
/// A host agent over a simulated network on virtual time (Akka's TestScheduler), with a probe as the application:
/// <c>Send</c> posts a MIF API request with the probe as its sender, the probe receives what the API sends.
/// </summary>
public abstract class HostSpec : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Virtual time, and quiet logs (the tests read failures from their own assertions).</summary>
    public const string VirtualTime = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """;

    protected HostSpec(ITestOutputHelper output, string? config = null)
        : base(ConfigurationFactory.ParseString((config ?? "") + "\n" + VirtualTime), output: output)
    {
        Net = new SimulatedNetwork(Sys);
        Host = MifHost.Start(Sys, Net);
        App = CreateTestProbe("app");
    }

    protected SimulatedNetwork Net { get; }

    protected IActorRef Host { get; }

    /// <summary>The application: the sender of requests, the receiver of announcements and replies.</summary>
    protected TestProbe App { get; }

    protected TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    protected void Advance(TimeSpan by) => Clock.Advance(by);

    protected void Send(IToMifApi request) => Host.Tell(request, App.Ref);

    protected void Send(TestProbe application, IToMifApi request) => Host.Tell(request, application.Ref);

    /// <summary>Expects exactly these messages, in this order.</summary>
    protected void ExpectInOrder(TestProbe probe, params IFromMifApi[] expected)
    {
        foreach (var message in expected)
        {
            var received = probe.ExpectMsg<IFromMifApi>();
            Assert.Equal(message, received);
        }
    }

    protected void ExpectInOrder(params IFromMifApi[] expected) => ExpectInOrder(App, expected);

    /// <summary>Waits (in real time) until the condition holds: for something outside the actors, like a socket.</summary>
    protected void Eventually(Func<bool> condition, string what) =>
        AwaitCondition(condition, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5), what);

    protected override void AfterAll()
    {
        base.AfterAll();
        Net.Dispose();
    }
}
