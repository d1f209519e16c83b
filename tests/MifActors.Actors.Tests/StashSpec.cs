using MifActors.Actors.Stash;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class StashSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    /// <summary>
    /// Stashes every int until "open", then unstashes them all and forwards ints to the probe. "fail" throws.
    /// The first instance is made closed; instances made by a restart start open.
    /// </summary>
    private sealed class Gate : ReceiveActor, IWithStash
    {
        private readonly IActorRef probe;
        private readonly int instance;

        public Gate(IActorRef probe, int instance)
        {
            this.probe = probe;
            this.instance = instance;
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("asked to fail"));
            if (instance == 1)
            {
                Receive<int>(_ => Stash.Stash());
                Receive<string>(s => s == "open", _ =>
                {
                    Stash.UnstashAll();
                    Become(() => Receive<object>(m => probe.Tell(m)));
                });
            }
            else
            {
                ReceiveAny(m => probe.Tell(m));
            }
        }

        public IStash Stash { get; set; } = null!;

        protected internal override void PreStart() => probe.Tell($"instance {instance} started");
    }

    private IActorRef NewGate()
    {
        var instances = 0;
        var actor = Sys.ActorOf(Props.Create(() => new Gate(TestActor, ++instances)));
        ExpectMsg("instance 1 started");
        return actor;
    }

    [Fact]
    public void UnstashAll_returns_the_stashed_messages_in_order_ahead_of_later_ones()
    {
        var gate = NewGate();
        gate.Tell(1);
        gate.Tell(2);
        gate.Tell(3);
        gate.Tell("open");
        gate.Tell(4);

        Assert.Equal(new object[] { 1, 2, 3, 4 }, ReceiveN(4));
    }

    [Fact]
    public void Stashing_two_deliveries_of_the_same_message_instance_keeps_both()
    {
        var gate = NewGate();
        object boxed = 7;
        gate.Tell(boxed);
        gate.Tell(boxed);
        gate.Tell("open");

        Assert.Equal(new object[] { 7, 7 }, ReceiveN(2));
    }

    [Fact]
    public void Restart_returns_stashed_messages_to_the_mailbox_and_runs_PreStart_again()
    {
        var gate = NewGate();
        gate.Tell(1);
        gate.Tell(2);
        gate.Tell("fail");
        gate.Tell(3);

        ExpectMsg("instance 2 started");
        Assert.Equal(new object[] { 1, 2, 3 }, ReceiveN(3));
    }

    [Fact]
    public void Stop_turns_stashed_messages_into_dead_letters()
    {
        var gate = NewGate();
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        gate.Tell(1);
        gate.Tell(2);
        gate.Tell(PoisonPill.Instance);

        var dead = ReceiveN(2).Cast<DeadLetter>().ToList();
        Assert.Equal(new object[] { 1, 2 }, dead.Select(d => d.Message));
        Assert.All(dead, d => Assert.Equal(gate, d.Recipient));
    }

    private sealed class DoubleStasher : ReceiveActor, IWithStash
    {
        public DoubleStasher() => Receive<int>(_ =>
        {
            Stash.Stash();
            Stash.Stash();
        });

        public IStash Stash { get; set; } = null!;
    }

    [Fact]
    public void Stashing_one_delivery_twice_fails_the_actor()
    {
        var actor = Sys.ActorOf(Props.Create<DoubleStasher>());
        EventFilter.Error<InvalidOperationException>("stashed the same Int32 twice").Expect(1, () => actor.Tell(1));
    }

    /// <summary>
    /// Stashes strings until "open". When open, it sets aside a message starting with "later" and brings it back
    /// when "ready" arrives; everything it handles goes to the probe.
    /// </summary>
    private sealed class SetAside : ReceiveActor, IWithStash
    {
        private bool ready;

        public SetAside(IActorRef probe)
        {
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                Become(() =>
                {
                    Receive<string>(s => !ready && s.StartsWith("later", StringComparison.Ordinal), _ => Stash.Stash());
                    Receive<string>(s => s == "ready", _ =>
                    {
                        ready = true;
                        probe.Tell("ready");
                        Stash.UnstashAll();
                    });
                    Receive<string>(s => probe.Tell(s));
                });
            });
            Receive<string>(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    [Fact]
    public void UnstashAll_puts_messages_ahead_of_earlier_unstashed_ones_still_waiting()
    {
        // "later x", "ready", "z" are stashed, then unstashed together; while "z" still waits, "ready"
        // unstashes "later x", which must come first: unstashed messages go to the front of the mailbox.
        var actor = Sys.ActorOf(Props.Create(() => new SetAside(TestActor)));
        actor.Tell("later x");
        actor.Tell("ready");
        actor.Tell("z");
        actor.Tell("open");

        Assert.Equal(new object[] { "ready", "later x", "z" }, ReceiveN(3));
    }
}
