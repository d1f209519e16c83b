using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class BehaviorSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    /// <summary>"push" stacks a shouting behavior, "pop" returns, "swap" replaces the behavior with a whispering one (where an int fails it).</summary>
    private sealed class Moody : ReceiveActor
    {
        public Moody()
        {
            Receive<string>(s => s == "push", _ => BecomeStacked(Shouting));
            Receive<string>(s => s == "swap", _ => Become(Whispering));
            Receive<string>(s => Sender.Tell(s));
        }

        private void Shouting()
        {
            Receive<string>(s => s == "pop", _ => Context.UnbecomeStacked());
            Receive<string>(s => Sender.Tell(s.ToUpperInvariant()));
        }

        private void Whispering()
        {
            Receive<int>(_ => throw new InvalidOperationException("whispering actor asked to fail"));
            Receive<string>(s => Sender.Tell(s.ToLowerInvariant() + "..."));
        }
    }

    [Fact]
    public void BecomeStacked_and_UnbecomeStacked_switch_behaviors_and_back()
    {
        var actor = Sys.ActorOf(Props.Create<Moody>());
        actor.Tell("calm", TestActor);
        actor.Tell("push", TestActor);
        actor.Tell("loud", TestActor);
        actor.Tell("pop", TestActor);
        actor.Tell("calm again", TestActor);

        Assert.Equal(new object[] { "calm", "LOUD", "calm again" }, ReceiveN(3));
    }

    [Fact]
    public void Become_replaces_the_behavior_and_a_restart_returns_to_the_initial_one()
    {
        var actor = Sys.ActorOf(Props.Create<Moody>());
        actor.Tell("swap", TestActor);
        actor.Tell("Quiet", TestActor);
        ExpectMsg("quiet...");

        actor.Tell(1);
        actor.Tell("Loud Again", TestActor);
        ExpectMsg("Loud Again");
    }
}
