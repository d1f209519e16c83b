using MifActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class DeathWatchSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed record WatchIt(IActorRef Subject, object? With = null);

    private sealed record UnwatchIt(IActorRef Subject);

    /// <summary>Watches on request and tells the probe every Terminated (or custom message) it gets.</summary>
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe)
        {
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
        Watch(subject);
        subject.Tell(PoisonPill.Instance);
        ExpectTerminated(subject);

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
        Watch(subject);
        subject.Tell(PoisonPill.Instance);
        ExpectTerminated(subject);

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
}
