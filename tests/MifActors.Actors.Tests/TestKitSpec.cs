using MifActors.Actors.Tests.Support;
using MifActors.Actors.Timers;
using MifActors.TestKit;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class TestKitSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void ExpectMsg_that_times_out_throws_AssertionFailedException_naming_the_type_and_the_wait()
    {
        var thrown = Assert.Throws<AssertionFailedException>(() => ExpectMsg<string>(Short));
        Assert.Contains("timeout (50 ms) waiting for String", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsg_of_another_type_throws_saying_what_arrived()
    {
        TestActor.Tell(42);
        var thrown = Assert.Throws<AssertionFailedException>(() => ExpectMsg<string>());
        Assert.Contains("expected String but got Int32 42", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectNoMsg_passes_when_nothing_arrives_and_throws_when_something_does()
    {
        ExpectNoMsg(Short);
        TestActor.Tell("surprise");
        var thrown = Assert.Throws<AssertionFailedException>(() => ExpectNoMsg(Short));
        Assert.Contains("\"surprise\"", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReceiveN_returns_the_messages_in_order_and_throws_when_too_few_arrive()
    {
        TestActor.Tell(1);
        TestActor.Tell(2);
        TestActor.Tell(3);
        Assert.Equal(new object[] { 1, 2 }, ReceiveN(2));

        var thrown = Assert.Throws<AssertionFailedException>(() => ReceiveN(2, Short));
        Assert.Contains("1 of 2 messages", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FishForMessage_skips_messages_until_one_matches()
    {
        TestActor.Tell("a");
        TestActor.Tell(5);
        TestActor.Tell("b");

        Assert.Equal(5, FishForMessage<int>());
        ExpectMsg("b");
        Assert.Throws<AssertionFailedException>(() => FishForMessage(m => m is int, Short));
    }

    [Fact]
    public void Within_fails_a_block_that_finishes_before_the_minimum()
    {
        var thrown = Assert.Throws<AssertionFailedException>(() => Within(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), () => { }));
        Assert.Contains("less than the minimum", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_bounds_the_expectations_inside_it_by_its_maximum()
    {
        var thrown = Assert.Throws<AssertionFailedException>(() => Within(Short, () => ExpectMsg<string>(TimeSpan.FromSeconds(30))));
        Assert.Contains("timeout", thrown.Message, StringComparison.Ordinal);
        Within(TimeSpan.FromSeconds(3), () =>
        {
            TestActor.Tell("in time");
            ExpectMsg("in time");
        });
    }

    [Fact]
    public void ExpectNoMsg_inside_Within_waits_no_longer_than_the_block_allows()
    {
        // Before, the 30 s wait ran in full and the block then failed for taking more than its maximum.
        Within(TimeSpan.FromMilliseconds(300), () => ExpectNoMsg(TimeSpan.FromSeconds(30)));
        // Without a duration it waits the block out, so a minimum close to the maximum is met.
        Within(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(300), () => ExpectNoMsg());
    }

    [Fact]
    public void ExpectNoMsg_inside_Within_still_fails_when_a_message_arrives()
    {
        var thrown = Assert.Throws<AssertionFailedException>(() => Within(TimeSpan.FromSeconds(3), () =>
        {
            TestActor.Tell("unexpected");
            ExpectNoMsg();
        }));
        Assert.Contains("unexpected", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AwaitAssert_retries_until_the_assertion_holds_and_rethrows_the_last_failure_otherwise()
    {
        var calls = 0;
        AwaitAssert(() => Assert.True(++calls >= 3));
        Assert.Equal(3, calls);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AwaitAssert(() => Assert.Fail("never"), Short));
    }

    [Fact]
    public void AwaitCondition_waits_for_the_condition_and_fails_with_the_given_message()
    {
        var calls = 0;
        AwaitCondition(() => ++calls >= 3);
        Assert.Equal(3, calls);

        var thrown = Assert.Throws<AssertionFailedException>(() => AwaitCondition(() => false, Short, message: "the moon is blue"));
        Assert.Contains("\"the moon is blue\"", thrown.Message, StringComparison.Ordinal);
    }

    private sealed class Failing : ReceiveActor
    {
        public Failing() => Receive<string>(s => throw new FormatException(s));
    }

    [Fact]
    public void EventFilter_Error_sees_the_logged_failure_of_an_actor()
    {
        var actor = Sys.ActorOf(Props.Create<Failing>());
        EventFilter.Error<FormatException>("broken").Expect(1, () => actor.Tell("broken"));
    }

    [Fact]
    public void EventFilter_throws_when_the_expected_events_do_not_come()
    {
        var thrown = Assert.Throws<AssertionFailedException>(() => EventFilter.Error<FormatException>().Expect(1, () => { }, Short));
        Assert.Contains("expected 1 error with FormatException event(s)", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EventFilter_DeadLetter_sees_messages_to_a_stopped_actor()
    {
        var actor = Sys.ActorOf(Props.Create<Failing>());
        this.StopAndAwaitTermination(actor);

        EventFilter.DeadLetter<string>(s => s == "late").Expect(1, () => actor.Tell("late"));
    }

    [Fact]
    public void A_probe_replies_to_the_last_sender_and_watches_actors()
    {
        var probe = CreateTestProbe();
        probe.Tell("question", TestActor);
        probe.ExpectMsg("question");
        probe.Reply("answer");
        ExpectMsg("answer");
        Assert.Equal(probe, LastSender);
    }
}

public sealed class VirtualTimeTestKitSpec(ITestOutputHelper output) : TestKit.TestKit(output, virtualTime: true)
{
    private sealed record Arm(string Key, TimeSpan Delay, string? Then = null, TimeSpan ThenDelay = default);

    private sealed record Fire(Arm Arm);

    /// <summary>Fires timers that tell the probe their key and the virtual time; a timer may start the next one.</summary>
    private sealed class Chain : ReceiveActor, IWithTimers
    {
        public Chain(IActorRef probe, TimeProvider time)
        {
            var start = time.GetUtcNow();
            Receive<Arm>(arm =>
            {
                Timers.StartSingleTimer(arm.Key, new Fire(arm), arm.Delay);
                Sender.Tell("armed");
            });
            Receive<Fire>(fire =>
            {
                var arm = fire.Arm;
                probe.Tell((arm.Key, time.GetUtcNow() - start));
                if (arm.Then is { } next) Timers.StartSingleTimer(next, new Fire(new Arm(next, arm.ThenDelay)), arm.ThenDelay);
            });
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    [Fact]
    public void Advance_fires_timers_in_due_order_at_their_due_times_including_timers_started_by_earlier_firings()
    {
        var probe = CreateTestProbe();
        var chain = Sys.ActorOf(Props.Create(() => new Chain(probe, Sys.TimeProvider)));
        chain.Tell(new Arm("late", TimeSpan.FromSeconds(9)), TestActor);
        chain.Tell(new Arm("early", TimeSpan.FromSeconds(2), Then: "chained", ThenDelay: TimeSpan.FromSeconds(3)), TestActor);
        ExpectMsg("armed");
        ExpectMsg("armed");

        Advance(TimeSpan.FromSeconds(10));

        probe.ExpectMsg(("early", TimeSpan.FromSeconds(2)));
        probe.ExpectMsg(("chained", TimeSpan.FromSeconds(5)));
        probe.ExpectMsg(("late", TimeSpan.FromSeconds(9)));
        Assert.Equal(Time!.StartTime + TimeSpan.FromSeconds(10), Time.GetUtcNow());
    }

    [Fact]
    public void Advance_on_a_real_time_TestKit_throws_saying_virtual_time_is_needed()
    {
        using var realTime = new RealTimeKit();
        var thrown = Assert.Throws<InvalidOperationException>(() => realTime.Advance(TimeSpan.FromSeconds(1)));
        Assert.Contains("virtualTime: true", thrown.Message, StringComparison.Ordinal);
    }

    private sealed class RealTimeKit : TestKit.TestKit;
}
