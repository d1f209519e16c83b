using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class AsyncHandlersSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed record Slow(Task WaitFor);

    private sealed record SlowFailure(Task WaitFor);

    /// <summary>Awaits the task it is given, then answers its sender; answers strings at once.</summary>
    private sealed class Awaiter : ReceiveActor
    {
        private readonly IActorRef probe;

        public Awaiter(IActorRef probe)
        {
            this.probe = probe;
            ReceiveAsync<Slow>(async slow =>
            {
                var senderBefore = Sender;
                probe.Tell("slow started");
                await slow.WaitFor;
                probe.Tell(("slow done", Sender.Equals(senderBefore)));
                Sender.Tell("reply after await");
            });
            ReceiveAsync<SlowFailure>(async slow =>
            {
                await slow.WaitFor;
                throw new InvalidOperationException("failed after await");
            });
            Receive<string>(s => probe.Tell(s));
        }

        protected internal override void PreStart() => probe.Tell("started");
    }

    private IActorRef NewAwaiter(TestKit.TestProbe probe)
    {
        var actor = Sys.ActorOf(Props.Create(() => new Awaiter(probe)));
        probe.ExpectMsg("started");
        return actor;
    }

    [Fact]
    public void The_actor_takes_no_other_message_until_the_async_handler_task_ends()
    {
        var probe = CreateTestProbe();
        var actor = NewAwaiter(probe);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(new Slow(release.Task), TestActor);
        actor.Tell("next");
        probe.ExpectMsg("slow started");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        release.SetResult();
        probe.ExpectMsg(("slow done", true));
        probe.ExpectMsg("next");
    }

    [Fact]
    public void Code_after_await_sees_the_sender_of_the_message_being_handled()
    {
        var probe = CreateTestProbe();
        var actor = NewAwaiter(probe);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherSender = CreateTestProbe();
        actor.Tell(new Slow(release.Task), TestActor);
        probe.ExpectMsg("slow started");
        actor.Tell("meanwhile", otherSender);

        release.SetResult();
        probe.ExpectMsg(("slow done", true));
        ExpectMsg("reply after await");
        probe.ExpectMsg("meanwhile");
        otherSender.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_faulted_async_handler_fails_the_actor_and_supervision_restarts_it()
    {
        var probe = CreateTestProbe();
        var actor = NewAwaiter(probe);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(new SlowFailure(release.Task));
        actor.Tell("after restart");

        EventFilter.Error<InvalidOperationException>("failed after await").Expect(1, release.SetResult);
        probe.ExpectMsg("started");
        probe.ExpectMsg("after restart");
    }

    [Fact]
    public void An_actor_stopped_while_its_async_handler_awaits_forever_still_stops_and_drops_the_rest()
    {
        var probe = CreateTestProbe();
        var actor = NewAwaiter(probe);
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        actor.Tell(new Slow(new TaskCompletionSource().Task));
        actor.Tell("never processed");
        probe.ExpectMsg("slow started");
        probe.Watch(actor);
        Sys.Stop(actor);

        probe.ExpectTerminated(actor);
        Assert.Equal("never processed", ExpectMsg<DeadLetter>().Message);
    }
}
