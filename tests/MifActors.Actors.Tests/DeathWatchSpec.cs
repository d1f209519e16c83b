using MifActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class DeathWatchSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed record WatchIt(IActorRef Subject, object? With = null);

    private sealed record UnwatchIt(IActorRef Subject);

    /// <summary>
    /// Watches on request and tells the probe every Terminated (or custom message) it gets; "block" holds it
    /// in its handler until the gate opens.
    /// </summary>
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe, ManualResetEventSlim? entered = null, ManualResetEventSlim? gate = null)
        {
            Receive<string>(s => s == "block", _ =>
            {
                entered?.Set();
                gate?.Wait(TimeSpan.FromSeconds(10));
            });
            Receive<WatchIt>(w =>
            {
                if (w.With is null) Context.Watch(w.Subject);
                else Context.WatchWith(w.Subject, w.With);
                Sender.Tell("watching");
            });
            Receive<UnwatchIt>(u =>
            {
                Context.Unwatch(u.Subject);
                Sender.Tell("unwatched");
            });
            Receive<string>(s => s == "ping", _ => Sender.Tell("pong"));
            ReceiveAny(m => probe.Tell(m));
        }
    }

    private IActorRef NewWatcher() => Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));

    private IActorRef NewSubject() => Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)));

    [Fact]
    public void A_watcher_gets_Terminated_when_its_subject_stops()
    {
        var watcher = NewWatcher();
        var subject = NewSubject();
        watcher.Tell(new WatchIt(subject), TestActor);
        ExpectMsg("watching");
        subject.Tell(PoisonPill.Instance);

        Assert.Equal(subject, ExpectMsg<Terminated>().ActorRef);
    }

    [Fact]
    public void Watching_an_actor_that_already_stopped_delivers_Terminated_at_once()
    {
        var subject = NewSubject();
        this.StopAndAwaitTermination(subject);

        var watcher = NewWatcher();
        watcher.Tell(new WatchIt(subject), TestActor);
        ExpectMsg("watching");
        Assert.Equal(subject, ExpectMsg<Terminated>().ActorRef);
    }

    [Fact]
    public void Unwatch_suppresses_the_Terminated()
    {
        var watcher = NewWatcher();
        var subject = NewSubject();
        watcher.Tell(new WatchIt(subject), TestActor);
        ExpectMsg("watching");
        watcher.Tell(new UnwatchIt(subject), TestActor);
        ExpectMsg("unwatched");
        this.StopAndAwaitTermination(subject);

        // Had the Terminated reached the watcher, it would have forwarded it before answering this ping.
        watcher.Tell("ping", TestActor);
        ExpectMsg("pong");
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void WatchWith_delivers_the_custom_message_instead_of_Terminated()
    {
        var watcher = NewWatcher();
        var subject = NewSubject();
        watcher.Tell(new WatchIt(subject, "subject is gone"), TestActor);
        ExpectMsg("watching");
        subject.Tell(PoisonPill.Instance);

        ExpectMsg("subject is gone");
        watcher.Tell("ping", TestActor);
        ExpectMsg("pong");
    }

    private sealed class ParentWatchingChild : ReceiveActor
    {
        public ParentWatchingChild(IActorRef probe)
        {
            var child = Context.Watch(Context.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)), "child"));
            Receive<string>(s => s == "stop child", _ => Context.Stop(child));
            Receive<Terminated>(t => probe.Tell(t.ActorRef.Path.Name));
        }
    }

    [Fact]
    public void A_parent_watching_its_child_gets_its_Terminated()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ParentWatchingChild(TestActor)));
        parent.Tell("stop child");

        ExpectMsg("child");
    }

    [Fact]
    public void A_watched_actor_stopped_by_its_parent_delivers_Terminated_to_an_outside_watcher()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ParentWatchingChild(CreateTestProbe())));
        var child = WaitForChild(parent);
        Watch(child);
        parent.Tell("stop child");

        ExpectTerminated(child);
    }

    private IActorRef WaitForChild(IActorRef parent)
    {
        IActorRef? child = null;
        AwaitCondition(() => (child = Sys.ResolveActorRef(parent.Path.ToString() + "/child")) is not null);
        return child!;
    }

    [Fact]
    public void Unwatch_drops_a_Terminated_that_was_already_on_its_way()
    {
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor, entered, gate)));
        var subject = NewSubject();
        watcher.Tell(new WatchIt(subject), TestActor);
        ExpectMsg("watching");
        watcher.Tell("block");
        Assert.True(entered.Wait(TimeSpan.FromSeconds(5)));

        // The subject's end reaches the watcher while it is busy; the Unwatch was sent before it could look.
        var outside = CreateTestProbe();
        outside.Watch(subject);
        subject.Tell(PoisonPill.Instance);
        outside.ExpectTerminated(subject);
        watcher.Tell(new UnwatchIt(subject), TestActor);
        gate.Set();

        ExpectMsg("unwatched");
        watcher.Tell("ping", TestActor);
        ExpectMsg("pong");
    }

    private sealed class LastWords : ReceiveActor
    {
        public LastWords(IActorRef listener) => Receive<string>(s => s == "go", _ =>
        {
            for (var i = 0; i < 100; i++) listener.Tell(i);
            Context.Stop(Self);
        });
    }

    [Fact]
    public void Terminated_arrives_after_every_message_the_subject_sent_before_it_stopped()
    {
        var watcher = NewWatcher();
        var subject = Sys.ActorOf(Props.Create(() => new LastWords(watcher)));
        watcher.Tell(new WatchIt(subject), TestActor);
        ExpectMsg("watching");
        subject.Tell("go");

        Assert.Equal(Enumerable.Range(0, 100).Cast<object>(), ReceiveN(100));
        ExpectMsg<Terminated>();
    }

    /// <summary>
    /// A watched reference that, when its watcher stops and unwatches it, holds the stopping watcher until
    /// <paramref name="release"/> is set: it widens the gap between an actor telling its watchers it died and
    /// telling its parent.
    /// </summary>
    private sealed class SlowUnwatch(ActorPath path, ManualResetEventSlim release) : Internal.ActorRefBase, Internal.IInternalActorRef
    {
        public override ActorPath Path { get; } = path;

        public ActorSystem? System => null;

        public override void Tell(object message, IActorRef? sender = null)
        {
        }

        public void SendSystemMessage(Internal.SystemMessage message)
        {
            if (message is Internal.Unwatch) release.Wait(TimeSpan.FromSeconds(3));
        }
    }

    private sealed class WatchesOne : ReceiveActor
    {
        public WatchesOne(IActorRef subject) => Context.Watch(subject);
    }

    /// <summary>Keeps a child named "worker": when it ends, makes a new one with the same name at once.</summary>
    private sealed class Recreator : ReceiveActor
    {
        private readonly Props workerProps;
        private IActorRef worker;

        public Recreator(IActorRef probe, Props workerProps, ManualResetEventSlim terminatedSeen)
        {
            this.workerProps = workerProps;
            worker = NewWorker();
            Receive<string>(s => s == "stop worker", _ => Context.Stop(worker));
            Receive<Terminated>(_ =>
            {
                terminatedSeen.Set();
                worker = NewWorker();
                probe.Tell("recreated");
            });
        }

        private IActorRef NewWorker() => Context.Watch(Context.ActorOf(workerProps, "worker"));
    }

    [Fact]
    public void A_parent_that_gets_the_Terminated_of_its_child_can_reuse_the_child_name_at_once()
    {
        var terminatedSeen = new ManualResetEventSlim(); // not disposed: a stopping worker may still wait on it after the test
        var slow = new SlowUnwatch(Sys.DeadLetters.Path.Child("slow", 1), terminatedSeen);
        var parent = Sys.ActorOf(Props.Create(() => new Recreator(TestActor, Props.Create(() => new WatchesOne(slow)), terminatedSeen)));
        parent.Tell("stop worker");

        ExpectMsg("recreated");
    }
}
