using MifActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class BadInputSpec(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private IActorRef Echo() => Sys.ActorOf(Props.Create(() => new Forwarder(TestActor)));

    private void AssertSystemStillWorks()
    {
        Echo().Tell("still alive");
        ExpectMsg("still alive");
    }

    [Fact]
    public void Telling_null_throws_ArgumentNullException()
    {
        var actor = Echo();
        Assert.Throws<ArgumentNullException>(() => actor.Tell(null!));
        AssertSystemStillWorks();
    }

    [Fact]
    public async Task Telling_an_actor_of_a_terminated_system_makes_a_dead_letter_and_does_not_throw()
    {
        var system = ActorSystem.Create("terminated");
        var actor = system.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)));
        system.EventStream.Subscribe<DeadLetter>(TestActor);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));

        actor.Tell("after the end");
        Assert.Equal("after the end", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public async Task ActorOf_on_a_terminated_system_throws_InvalidOperationException_naming_the_system()
    {
        var system = ActorSystem.Create("gone");
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));

        var thrown = Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody))));
        Assert.Contains("\"gone\" is terminated", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space", "U+0020 at position 3")]
    [InlineData("slash/inside", "'/'")]
    [InlineData("$reserved", "'$'")]
    [InlineData("", "empty")]
    [InlineData("tab\there", "U+0009")]
    public void An_illegal_actor_name_throws_InvalidActorNameException_naming_the_problem(string name, string problem)
    {
        var thrown = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)), name));
        Assert.Contains(problem, thrown.Message, StringComparison.Ordinal);
        AssertSystemStillWorks();
    }

    [Fact]
    public void A_duplicate_actor_name_throws_InvalidActorNameException_saying_it_is_not_unique()
    {
        Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)), "twin");
        var thrown = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)), "twin"));
        Assert.Contains("\"twin\" is not unique", thrown.Message, StringComparison.Ordinal);
        AssertSystemStillWorks();
    }

    private sealed class ThrowsInConstructor : ReceiveActor
    {
        public ThrowsInConstructor() => throw new InvalidOperationException("constructor refuses");
    }

    [Fact]
    public void An_actor_whose_constructor_throws_is_stopped_and_the_system_carries_on()
    {
        var actor = EventFilter.Error<ActorInitializationException>("constructor refuses")
            .Expect(1, () => Sys.ActorOf(Props.Create<ThrowsInConstructor>(), "refuser"));
        Watch(actor);
        ExpectTerminated(actor);

        AssertSystemStillWorks();
        Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)), "refuser");
    }

    private sealed class ThrowsInPostStop : ReceiveActor
    {
        public ThrowsInPostStop() => ReceiveAny(_ => { });

        protected internal override void PostStop() => throw new InvalidOperationException("PostStop refuses");
    }

    [Fact]
    public void An_exception_in_PostStop_is_logged_and_the_actor_still_terminates()
    {
        var actor = Sys.ActorOf(Props.Create<ThrowsInPostStop>());
        Watch(actor);
        EventFilter.Error<InvalidOperationException>("PostStop refuses").Expect(1, () => actor.Tell(PoisonPill.Instance));
        ExpectTerminated(actor);

        AssertSystemStillWorks();
    }

    [Fact]
    public void Creating_an_actor_with_new_outside_ActorOf_throws_ActorNotCreatedProperlyException()
    {
        var thrown = Assert.Throws<ActorNotCreatedProperlyException>(() => new Forwarder(ActorRefs.Nobody));
        Assert.Contains("ActorOf", thrown.Message, StringComparison.Ordinal);
    }
}
