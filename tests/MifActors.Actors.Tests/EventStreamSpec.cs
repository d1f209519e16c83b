using MifActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class EventStreamSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private interface IAlarm;

    private record Alarm(string Text) : IAlarm;

    private sealed record FireAlarm(string Text) : Alarm(Text);

    private sealed record Weather(string Text);

    private static readonly TimeSpan Nothing = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void A_subscriber_gets_events_of_its_type_and_of_derived_types_and_nothing_else()
    {
        Sys.EventStream.Subscribe<Alarm>(TestActor);
        Sys.EventStream.Publish(new Weather("rain"));
        Sys.EventStream.Publish(new Alarm("smoke"));
        Sys.EventStream.Publish(new FireAlarm("fire"));

        ExpectMsg(new Alarm("smoke"));
        ExpectMsg(new FireAlarm("fire"));
        ExpectNoMsg(Nothing);
    }

    [Fact]
    public void A_subscription_to_an_interface_gets_every_implementation_once_even_when_subscribed_twice_over()
    {
        Assert.True(Sys.EventStream.Subscribe<IAlarm>(TestActor));
        Assert.True(Sys.EventStream.Subscribe<Alarm>(TestActor));
        Assert.False(Sys.EventStream.Subscribe<Alarm>(TestActor));
        Sys.EventStream.Publish(new FireAlarm("fire"));

        ExpectMsg(new FireAlarm("fire"));
        ExpectNoMsg(Nothing);
    }

    [Fact]
    public void After_Unsubscribe_a_subscriber_gets_no_more_events()
    {
        Sys.EventStream.Subscribe<Alarm>(TestActor);
        Assert.True(Sys.EventStream.Unsubscribe(TestActor, typeof(Alarm)));
        Sys.EventStream.Publish(new Alarm("smoke"));

        ExpectNoMsg(Nothing);
    }

    [Fact]
    public void A_subscriber_that_stopped_leaves_the_stream_instead_of_producing_dead_letters()
    {
        var subscriber = Sys.ActorOf(Props.Create(() => new Support.Forwarder(ActorRefs.Nobody)));
        Sys.EventStream.Subscribe<Weather>(subscriber);
        this.StopAndAwaitTermination(subscriber);
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);

        Sys.EventStream.Publish(new Weather("first after the stop"));
        Sys.EventStream.Publish(new Weather("second"));

        ExpectNoMsg(Nothing);
        Assert.False(Sys.EventStream.Unsubscribe(subscriber, typeof(Weather)));
    }

    [Fact]
    public void A_message_to_a_stopped_actor_is_published_as_a_DeadLetter()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Support.Forwarder(ActorRefs.Nobody)));
        this.StopAndAwaitTermination(actor);
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        var sender = CreateTestProbe();
        actor.Tell("too late", sender);

        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("too late", letter.Message);
        Assert.Equal(actor, letter.Recipient);
        Assert.Equal(sender, letter.Sender);
    }

    private sealed class OnlyInts : ReceiveActor
    {
        public OnlyInts() => Receive<int>(_ => { });
    }

    [Fact]
    public void A_message_no_handler_takes_is_published_as_UnhandledMessage()
    {
        var actor = Sys.ActorOf(Props.Create<OnlyInts>());
        Sys.EventStream.Subscribe<UnhandledMessage>(TestActor);
        actor.Tell("text", TestActor);

        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal("text", unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
        Assert.Equal(TestActor, unhandled.Sender);
    }
}
