using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class OrderingSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private const int Senders = 8;
    private const int PerSender = 10_000;

    private sealed record Numbered(int Sender, int Sequence);

    private sealed record GetReport;

    private sealed record Report(int Received, int OutOfOrder, int[] NextExpected);

    /// <summary>Checks that each sender's numbers arrive as 0, 1, 2 ...: no gap, no repeat, no reordering.</summary>
    private sealed class SequenceChecker : ReceiveActor
    {
        public SequenceChecker()
        {
            var next = new int[Senders];
            var received = 0;
            var outOfOrder = 0;
            Receive<Numbered>(m =>
            {
                received++;
                if (m.Sequence != next[m.Sender]) outOfOrder++;
                next[m.Sender] = m.Sequence + 1;
            });
            Receive<GetReport>(_ => Sender.Tell(new Report(received, outOfOrder, [.. next])));
        }
    }

    private sealed class NumberSender : ReceiveActor
    {
        public NumberSender(int id, IActorRef target) =>
            Receive<string>(_ =>
            {
                for (var i = 0; i < PerSender; i++) target.Tell(new Numbered(id, i));
                Sender.Tell("sent");
            });
    }

    private void AssertEverySequenceArrivedWhole(IActorRef checker)
    {
        // Sent after every number has been enqueued, so the report counts all of them.
        checker.Tell(new GetReport(), TestActor);
        var report = ExpectMsg<Report>(TimeSpan.FromSeconds(20));
        Assert.Equal(0, report.OutOfOrder);
        Assert.Equal(Senders * PerSender, report.Received);
        Assert.All(report.NextExpected, next => Assert.Equal(PerSender, next));
    }

    [Fact]
    public void Messages_from_each_of_eight_threads_arrive_in_send_order_exactly_once()
    {
        var checker = Sys.ActorOf(Props.Create<SequenceChecker>());
        using var start = new Barrier(Senders);
        var threads = Enumerable.Range(0, Senders).Select(id => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerSender; i++) checker.Tell(new Numbered(id, i));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        AssertEverySequenceArrivedWhole(checker);
    }

    [Fact]
    public void Messages_from_each_of_eight_actors_arrive_in_send_order_exactly_once()
    {
        var checker = Sys.ActorOf(Props.Create<SequenceChecker>());
        var senders = Enumerable.Range(0, Senders).Select(id => Sys.ActorOf(Props.Create(() => new NumberSender(id, checker)))).ToList();
        senders.ForEach(s => s.Tell("go", TestActor));
        for (var i = 0; i < Senders; i++) ExpectMsg("sent", TimeSpan.FromSeconds(20));

        AssertEverySequenceArrivedWhole(checker);
    }

    /// <summary>Blocks in its first message until the test opens the gate, then reports everything it processes.</summary>
    private sealed class Blocker : ReceiveActor
    {
        public Blocker(ManualResetEventSlim entered, ManualResetEventSlim gate, IActorRef probe)
        {
            Receive<string>(s => s == "block", _ =>
            {
                entered.Set();
                gate.Wait(TimeSpan.FromSeconds(10));
                probe.Tell("unblocked");
            });
            Receive<int>(n => probe.Tell(n));
        }
    }

    [Fact]
    public void A_stop_sent_after_queued_user_messages_is_processed_first_and_they_become_dead_letters()
    {
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Blocker(entered, gate, probe)));
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        actor.Tell("block");
        Assert.True(entered.Wait(TimeSpan.FromSeconds(5)));
        for (var i = 1; i <= 3; i++) actor.Tell(i);
        Sys.Stop(actor);
        probe.Watch(actor);
        gate.Set();

        probe.ExpectMsg("unblocked");
        probe.ExpectTerminated(actor);
        var dead = ReceiveN(3).Cast<DeadLetter>().Select(d => d.Message).ToList();
        Assert.Equal(new object[] { 1, 2, 3 }, dead);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void PoisonPill_is_processed_in_order_after_the_messages_sent_before_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Support.Forwarder(TestActor)));
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        Watch(actor);
        actor.Tell(1);
        actor.Tell(2);
        actor.Tell(PoisonPill.Instance);
        actor.Tell(3);

        ExpectMsg(1);
        ExpectMsg(2);
        var afterPill = ReceiveN(2);
        Assert.Contains(afterPill, m => m is Terminated t && t.ActorRef.Equals(actor));
        Assert.Contains(afterPill, m => m is DeadLetter { Message: 3 });
    }

    [Fact]
    public void Kill_is_processed_in_order_and_the_messages_after_it_become_dead_letters()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Support.Forwarder(TestActor)));
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        Watch(actor);
        actor.Tell(1);
        actor.Tell(Kill.Instance);
        actor.Tell(2);

        ExpectMsg(1);
        var afterKill = ReceiveN(2);
        Assert.Contains(afterKill, m => m is Terminated t && t.ActorRef.Equals(actor));
        Assert.Contains(afterKill, m => m is DeadLetter { Message: 2 });
    }
}
