using MifActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class LifecycleSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed class Recorder : ReceiveActor
    {
        private readonly IActorRef probe;
        private readonly string name;

        public Recorder(IActorRef probe, string name, int children)
        {
            this.probe = probe;
            this.name = name;
            for (var i = 0; i < children; i++)
            {
                var childName = $"{name}.{i}";
                Context.ActorOf(Props.Create(() => new Recorder(probe, childName, 0)), $"c{i}");
            }

            ReceiveAny(m => probe.Tell($"{name} got {m}"));
        }

        protected internal override void PreStart() => probe.Tell($"{name} PreStart");

        protected internal override void PostStop() => probe.Tell($"{name} PostStop");
    }

    [Fact]
    public void PreStart_runs_before_the_first_message()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Recorder(TestActor, "a", 0)));
        actor.Tell("hello");

        ExpectMsg("a PreStart");
        ExpectMsg("a got hello");
    }

    [Fact]
    public void A_parent_runs_PostStop_only_after_every_child_has_stopped()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Recorder(TestActor, "p", 2)));
        ReceiveN(3);
        Watch(parent);
        parent.Tell(PoisonPill.Instance);

        var stops = ReceiveN(3);
        Assert.Equal("p PostStop", stops[2]);
        Assert.Equal(new HashSet<object> { "p.0 PostStop", "p.1 PostStop" }, stops.Take(2).ToHashSet());
        ExpectTerminated(parent);
    }

    [Fact]
    public async Task Terminating_the_system_stops_every_actor_and_completes_WhenTerminated()
    {
        var system = ActorSystem.Create("lifecycle");
        system.ActorOf(Props.Create(() => new Recorder(TestActor, "top", 1)));
        ReceiveN(2);

        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(system.IsTerminated);
        Assert.Equal(new HashSet<object> { "top PostStop", "top.0 PostStop" }, ReceiveN(2).ToHashSet());
    }

    [Fact]
    public void A_child_path_nests_under_its_parent_and_the_user_guardian()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Recorder(TestActor, "p", 1)), "host");
        ReceiveN(2);

        var child = Sys.ResolveActorRef($"mif://{Sys.Name}/user/host/c0");
        Assert.NotNull(child);
        Assert.Equal($"mif://{Sys.Name}/user/host/c0", child.Path.ToString());
        Assert.Equal(parent.Path, child.Path.Parent);
    }

    [Fact]
    public void Context_Stop_of_self_finishes_the_message_in_hand_and_drops_the_rest_to_dead_letters()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SelfStopper(TestActor)));
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        Watch(actor);
        actor.Tell("stop");
        actor.Tell("after");

        ExpectMsg("stopping");
        var rest = ReceiveN(2);
        Assert.Contains(rest, m => m is Terminated);
        Assert.Contains(rest, m => m is DeadLetter { Message: "after" });
    }

    private sealed class SelfStopper : ReceiveActor
    {
        public SelfStopper(IActorRef probe) => ReceiveAny(m =>
        {
            if (m is "stop")
            {
                Context.Stop(Self);
                probe.Tell("stopping");
            }
            else
            {
                probe.Tell(m);
            }
        });
    }

    [Fact]
    public void A_name_is_free_again_as_soon_as_a_watcher_that_is_not_the_parent_hears_Terminated()
    {
        for (var round = 0; round < 200; round++)
        {
            var first = Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)), "reused");
            this.StopAndAwaitTermination(first);
        }

        var second = Sys.ActorOf(Props.Create(() => new Forwarder(TestActor)), "reused");
        second.Tell("new one");
        ExpectMsg("new one");
    }
}
