using MifActors.Actors.Timers;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class TimersSpec(ITestOutputHelper output) : TestKit.TestKit(output, virtualTime: true)
{
    private static readonly TimeSpan Nothing = TimeSpan.FromMilliseconds(20);

    private sealed record Single(string Key, string Message, TimeSpan Delay);

    private sealed record Periodic(string Key, string Message, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed record IsActive(string Key);

    /// <summary>Starts and cancels timers on request (answering "ok") and tells the probe whatever else it gets.</summary>
    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef probe)
        {
            Receive<Single>(s =>
            {
                Timers.StartSingleTimer(s.Key, s.Message, s.Delay);
                Sender.Tell("ok");
            });
            Receive<Periodic>(p =>
            {
                Timers.StartPeriodicTimer(p.Key, p.Message, p.Interval);
                Sender.Tell("ok");
            });
            Receive<CancelTimer>(c =>
            {
                Timers.Cancel(c.Key);
                Sender.Tell("ok");
            });
            Receive<IsActive>(a => Sender.Tell(Timers.IsTimerActive(a.Key)));
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("asked to fail"));
            ReceiveAny(m => probe.Tell(m));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private IActorRef TimerActorWith(object request)
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(request, TestActor);
        ExpectMsg("ok");
        return actor;
    }

    [Fact]
    public void A_single_timer_fires_once_at_its_due_virtual_time_and_not_before()
    {
        TimerActorWith(new Single("k", "tick", TimeSpan.FromSeconds(5)));

        Advance(TimeSpan.FromMilliseconds(4999));
        ExpectNoMsg(Nothing);
        Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("tick");
        Advance(TimeSpan.FromMinutes(1));
        ExpectNoMsg(Nothing);
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_interval()
    {
        TimerActorWith(new Periodic("k", "tick", TimeSpan.FromSeconds(1)));

        Advance(TimeSpan.FromSeconds(5));
        Assert.All(ReceiveN(5), m => Assert.Equal("tick", m));
        ExpectNoMsg(Nothing);
        Advance(TimeSpan.FromMilliseconds(999));
        ExpectNoMsg(Nothing);
    }

    [Fact]
    public void A_cancelled_timer_never_delivers()
    {
        var actor = TimerActorWith(new Single("k", "tick", TimeSpan.FromSeconds(5)));
        actor.Tell(new CancelTimer("k"), TestActor);
        ExpectMsg("ok");

        Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(Nothing);
        actor.Tell(new IsActive("k"), TestActor);
        ExpectMsg(false);
    }

    [Fact]
    public void Starting_a_timer_with_a_key_in_use_replaces_the_old_one()
    {
        var actor = TimerActorWith(new Single("k", "first", TimeSpan.FromSeconds(5)));
        actor.Tell(new Single("k", "second", TimeSpan.FromSeconds(10)), TestActor);
        ExpectMsg("ok");

        Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(Nothing);
        Advance(TimeSpan.FromSeconds(5));
        ExpectMsg("second");
        Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(Nothing);
    }

    [Fact]
    public void Timers_die_when_the_actor_restarts()
    {
        var actor = TimerActorWith(new Periodic("k", "tick", TimeSpan.FromSeconds(1)));
        actor.Tell("fail");
        actor.Tell(new IsActive("k"), TestActor);
        ExpectMsg(false);

        Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(Nothing);
    }

    [Fact]
    public void Timers_die_when_the_actor_stops()
    {
        var actor = TimerActorWith(new Periodic("k", "tick", TimeSpan.FromSeconds(1)));
        Assert.Equal(1, Time!.ActiveTimers);
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);

        Assert.Equal(0, Time.ActiveTimers);
        Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(Nothing);
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(10));
            Receive<ReceiveTimeout>(_ => probe.Tell("idle"));
            Receive<string>(s => s == "stop waiting", _ => Context.SetReceiveTimeout(null));
            Receive<string>(_ => { });
        }
    }

    [Fact]
    public void ReceiveTimeout_arrives_after_the_timeout_without_messages_and_each_message_restarts_the_clock()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Idle(TestActor)));

        Advance(TimeSpan.FromSeconds(9));
        actor.Tell("activity");
        Advance(TimeSpan.FromSeconds(9));
        ExpectNoMsg(Nothing);
        Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("idle");
        Advance(TimeSpan.FromSeconds(10));
        ExpectMsg("idle");
    }

    [Fact]
    public void ReceiveTimeout_set_to_null_stops_the_timeouts()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Idle(TestActor)));
        Advance(TimeSpan.FromSeconds(10));
        ExpectMsg("idle");
        actor.Tell("stop waiting");

        Advance(TimeSpan.FromMinutes(5));
        ExpectNoMsg(Nothing);
    }

    /// <summary>"block" waits for the gate, then cancels or replaces timer "k" as told.</summary>
    private sealed class SlowCanceller : ReceiveActor, IWithTimers
    {
        public SlowCanceller(IActorRef probe, ManualResetEventSlim entered, ManualResetEventSlim gate, bool replace)
        {
            Receive<Single>(s => Timers.StartSingleTimer(s.Key, s.Message, s.Delay));
            Receive<string>(s => s == "block", _ =>
            {
                entered.Set();
                gate.Wait(TimeSpan.FromSeconds(10));
                if (replace) Timers.StartSingleTimer("k", "replacement", TimeSpan.FromSeconds(5));
                else Timers.Cancel("k");
            });
            ReceiveAny(m => probe.Tell(m));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_timer_cancelled_or_replaced_after_it_fired_but_before_its_message_was_processed_never_delivers(bool replace)
    {
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new SlowCanceller(TestActor, entered, gate, replace)));
        actor.Tell(new Single("k", "stale", TimeSpan.FromSeconds(1)));
        actor.Tell("block");
        Assert.True(entered.Wait(TimeSpan.FromSeconds(5)));

        // The timer fires while the actor is busy; the TestKit's wait for idle would wait on the blocked actor.
        var settle = Time!.AfterEachFiring;
        Time.AfterEachFiring = null;
        Time.Advance(TimeSpan.FromSeconds(1));
        Time.AfterEachFiring = settle;
        gate.Set();

        Advance(TimeSpan.FromSeconds(5));
        if (replace) ExpectMsg("replacement");
        ExpectNoMsg(Nothing);
    }
}
