using MifActors.Actors.Supervision;
using MifActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class SupervisionSpec(ITestOutputHelper output) : TestKit.TestKit(output, virtualTime: true)
{
    private IActorRef ChildUnder(SupervisorStrategy strategy, string name = "child", IActorRef? supervisor = null)
    {
        supervisor ??= Sys.ActorOf(Supervisor.Props(strategy));
        supervisor.Tell(new CreateChild(LifecycleReporter.Props(TestActor), name), TestActor);
        var child = ExpectMsg<IActorRef>();
        ExpectMsg(("started", child));
        return child;
    }

    /// <summary>A child under a parent under a grandparent, each parent supervising with its own strategy.</summary>
    private (IActorRef Parent, IActorRef Child) ChildUnderParentUnderGrandparent(SupervisorStrategy grandparentStrategy, SupervisorStrategy parentStrategy)
    {
        var grandparent = Sys.ActorOf(Supervisor.Props(grandparentStrategy));
        grandparent.Tell(new CreateChild(Supervisor.Props(parentStrategy), "parent"), TestActor);
        var parent = ExpectMsg<IActorRef>();
        return (parent, ChildUnder(SupervisorStrategy.Default, supervisor: parent));
    }

    /// <summary>A strategy that tells <paramref name="probe"/> the message of each failure and stops the child.</summary>
    private static OneForOneStrategy ReportingStop(IActorRef probe) => new(e =>
    {
        probe.Tell(e.Message);
        return Directive.Stop;
    });

    private int CountOf(IActorRef actor)
    {
        actor.Tell("get", TestActor);
        return ExpectMsg<int>();
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var child = ChildUnder(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell("inc");
        child.Tell("inc");
        child.Tell("fail");
        child.Tell("inc");

        Assert.Equal(3, CountOf(child));
    }

    [Fact]
    public void Restart_makes_a_fresh_instance_calling_PreRestart_PostStop_PostRestart_then_PreStart()
    {
        var child = ChildUnder(new OneForOneStrategy(_ => Directive.Restart));
        child.Tell("inc");
        child.Tell("fail");

        ExpectMsg(("restarting", child));
        ExpectMsg(("stopped", child));
        ExpectMsg(("restarted", child));
        ExpectMsg(("started", child));
        Assert.Equal(0, CountOf(child));
    }

    [Fact]
    public void Stop_stops_the_failing_child()
    {
        var child = ChildUnder(new OneForOneStrategy(_ => Directive.Stop));
        Watch(child);
        child.Tell("fail");

        ExpectMsg(("stopped", child));
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_fails_the_parent_so_the_grandparent_decides()
    {
        var decided = CreateTestProbe();
        var (parent, child) = ChildUnderParentUnderGrandparent(ReportingStop(decided), new OneForOneStrategy(_ => Directive.Escalate));
        Watch(parent);
        child.Tell("fail");

        decided.ExpectMsg("asked to fail");
        ExpectMsg(("stopped", child));
        ExpectTerminated(parent);
    }

    [Fact]
    public void A_child_whose_failure_was_escalated_and_then_resumed_by_the_grandparent_processes_messages_again()
    {
        var (_, child) = ChildUnderParentUnderGrandparent(
            new OneForOneStrategy(_ => Directive.Resume), new OneForOneStrategy(_ => Directive.Escalate));
        child.Tell("inc");
        child.Tell("fail");
        child.Tell("inc");

        Assert.Equal(2, CountOf(child));
    }

    [Fact]
    public void OneForOne_keeps_restarting_when_failures_are_spread_beyond_the_retry_window()
    {
        var child = ChildUnder(new OneForOneStrategy(2, TimeSpan.FromSeconds(10), _ => Directive.Restart));
        Watch(child);
        for (var i = 0; i < 5; i++)
        {
            child.Tell("fail");
            FishForMessage<(string, IActorRef)>(m => m == ("started", child));
            Advance(TimeSpan.FromSeconds(11));
        }

        Assert.Equal(0, CountOf(child));
    }

    [Fact]
    public void OneForOne_stops_the_child_when_failures_within_the_window_exceed_maxNrOfRetries()
    {
        var child = ChildUnder(new OneForOneStrategy(2, TimeSpan.FromSeconds(10), _ => Directive.Restart));
        Watch(child);
        for (var i = 0; i < 2; i++)
        {
            child.Tell("fail");
            FishForMessage<(string, IActorRef)>(m => m == ("started", child));
            Advance(TimeSpan.FromSeconds(1));
        }

        child.Tell("fail");
        ExpectMsg(("stopped", child));
        ExpectTerminated(child);
    }

    [Fact]
    public void AllForOne_restarts_every_sibling_when_one_fails()
    {
        var supervisor = Sys.ActorOf(Supervisor.Props(new AllForOneStrategy(_ => Directive.Restart)));
        var failing = ChildUnder(SupervisorStrategy.Default, "a", supervisor);
        var sibling = ChildUnder(SupervisorStrategy.Default, "b", supervisor);
        sibling.Tell("inc");
        // The sibling has counted before the failure: two actors' mailboxes run in no fixed order otherwise.
        Assert.Equal(1, CountOf(sibling));
        failing.Tell("fail");

        var restarted = ReceiveN(8).OfType<(string What, IActorRef Who)>().Where(m => m.What == "started").Select(m => m.Who).ToHashSet();
        Assert.Equal(new HashSet<IActorRef> { failing, sibling }, restarted);
        Assert.Equal(0, CountOf(sibling));
    }

    [Fact]
    public void AllForOne_stops_every_sibling_when_one_fails_with_Stop()
    {
        var supervisor = Sys.ActorOf(Supervisor.Props(new AllForOneStrategy(_ => Directive.Stop)));
        var failing = ChildUnder(SupervisorStrategy.Default, "a", supervisor);
        var sibling = ChildUnder(SupervisorStrategy.Default, "b", supervisor);
        var watcher = CreateTestProbe();
        watcher.Watch(failing);
        watcher.Watch(sibling);
        failing.Tell("fail");

        var terminated = new[] { watcher.ExpectMsg<Terminated>(), watcher.ExpectMsg<Terminated>() }.Select(t => t.ActorRef).ToHashSet();
        Assert.Equal(new HashSet<IActorRef> { failing, sibling }, terminated);
    }

    /// <summary>A parent that makes one <see cref="LifecycleReporter"/> child in PreStart and can be made to fail.</summary>
    private sealed class ParentWithChild : ReceiveActor
    {
        public ParentWithChild(IActorRef probe)
        {
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("parent asked to fail"));
            Receive<string>(s => s == "child", _ => Sender.Tell(Context.Child("kid")));
            Context.ActorOf(LifecycleReporter.Props(probe), "kid");
        }
    }

    private (IActorRef Parent, IActorRef Kid) ParentAndKidUnder(Directive directive)
    {
        var supervisor = Sys.ActorOf(Supervisor.Props(new OneForOneStrategy(_ => directive)));
        supervisor.Tell(new CreateChild(Props.Create(() => new ParentWithChild(TestActor)), "parent"), TestActor);
        var parent = ExpectMsg<IActorRef>();
        var kid = ExpectMsg<(string What, IActorRef Who)>(m => m.What == "started").Who;
        return (parent, kid);
    }

    [Fact]
    public void Restarting_a_parent_stops_its_children_and_the_fresh_instance_creates_new_ones()
    {
        var (parent, kid) = ParentAndKidUnder(Directive.Restart);
        Watch(kid);
        parent.Tell("fail");

        ExpectMsg(("stopped", kid));
        ExpectTerminated(kid);
        var newKid = ExpectMsg<(string What, IActorRef Who)>(m => m.What == "started").Who;
        Assert.NotEqual(kid, newKid);
        parent.Tell("child", TestActor);
        ExpectMsg(newKid);
    }

    [Fact]
    public void Resuming_a_parent_resumes_its_children_with_their_state()
    {
        var (parent, kid) = ParentAndKidUnder(Directive.Resume);
        kid.Tell("inc");
        parent.Tell("fail");
        parent.Tell("child", TestActor);
        ExpectMsg(kid);

        Assert.Equal(1, CountOf(kid));
    }

    [Fact]
    public void Stopping_a_parent_stops_its_children()
    {
        var (parent, kid) = ParentAndKidUnder(Directive.Stop);
        var watcher = CreateTestProbe();
        watcher.Watch(kid);
        watcher.Watch(parent);
        parent.Tell("fail");

        ExpectMsg(("stopped", kid));
        watcher.ExpectTerminated(kid);
        watcher.ExpectTerminated(parent);
    }

    private sealed class ThrowsInConstructor : ReceiveActor
    {
        public ThrowsInConstructor() => throw new InvalidOperationException("constructor refuses");
    }

    [Fact]
    public void The_default_strategy_stops_an_actor_whose_constructor_throws()
    {
        var actor = EventFilter.Error<ActorInitializationException>().Expect(1, () => Sys.ActorOf(Props.Create<ThrowsInConstructor>()));
        Watch(actor);
        ExpectTerminated(actor);
    }

    [Fact]
    public void The_default_strategy_stops_an_actor_that_gets_Kill()
    {
        var actor = Sys.ActorOf(LifecycleReporter.Props(TestActor));
        ExpectMsg(("started", actor));
        Watch(actor);
        actor.Tell(Kill.Instance);

        ExpectMsg(("stopped", actor));
        ExpectTerminated(actor);
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef subject) => Context.Watch(subject);
    }

    [Fact]
    public void An_unhandled_Terminated_stops_the_watcher_with_a_DeathPactException()
    {
        var subject = Sys.ActorOf(LifecycleReporter.Props(TestActor));
        ExpectMsg(("started", subject));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(subject)));
        Watch(watcher);

        EventFilter.Error<DeathPactException>().Expect(1, () => subject.Tell(PoisonPill.Instance));
        FishForMessage<Terminated>(t => t.ActorRef.Equals(watcher));
    }

    [Fact]
    public void The_default_strategy_restarts_on_an_ordinary_exception()
    {
        var actor = Sys.ActorOf(LifecycleReporter.Props(TestActor));
        ExpectMsg(("started", actor));
        actor.Tell("fail");

        ExpectMsg(("restarting", actor));
        ExpectMsg(("stopped", actor));
        ExpectMsg(("restarted", actor));
        ExpectMsg(("started", actor));
    }

    private sealed class TellsFailedMessage : ReceiveActor
    {
        private readonly IActorRef probe;

        public TellsFailedMessage(IActorRef probe)
        {
            this.probe = probe;
            Receive<string>(s => throw new InvalidOperationException(s));
        }

        protected internal override void PreRestart(Exception reason, object? message)
        {
            probe.Tell((reason.Message, message));
            base.PreRestart(reason, message);
        }
    }

    [Fact]
    public void PreRestart_gets_the_exception_and_the_message_that_failed()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TellsFailedMessage(TestActor)));
        actor.Tell("boom");

        ExpectMsg<(string, object?)>(("boom", "boom"));
    }

    [Fact]
    public void Messages_queued_behind_a_failure_are_processed_by_the_restarted_instance_in_order()
    {
        var lifecycle = CreateTestProbe();
        var actor = Sys.ActorOf(LifecycleReporter.Props(lifecycle));
        lifecycle.ExpectMsg(("started", actor));
        actor.Tell("inc");
        actor.Tell("fail");
        actor.Tell("inc");
        actor.Tell("inc");

        Assert.Equal(2, CountOf(actor));
        lifecycle.FishForMessage<(string What, IActorRef)>(m => m.What == "restarted");
    }

    [Fact]
    public void An_actor_whose_constructor_throws_during_a_restart_is_stopped()
    {
        var instances = 0;
        var actor = Sys.ActorOf(Props.Create(() => ++instances == 1
            ? new LifecycleReporter(TestActor)
            : throw new InvalidOperationException("second instance refuses")));
        ExpectMsg(("started", actor));
        Watch(actor);

        EventFilter.Error<ActorInitializationException>("second instance refuses").Expect(1, () => actor.Tell("fail"));
        FishForMessage<Terminated>(t => t.ActorRef.Equals(actor));
        Assert.Equal(2, instances);
    }

    [Fact]
    public void A_decider_that_throws_escalates_the_failure()
    {
        var decided = CreateTestProbe();
        var (_, child) = ChildUnderParentUnderGrandparent(ReportingStop(decided), new OneForOneStrategy(_ => throw new FormatException("decider broke")));
        child.Tell("fail");

        decided.ExpectMsg("asked to fail");
    }
}
