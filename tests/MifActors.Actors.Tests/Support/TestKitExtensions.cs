namespace MifActors.Actors.Tests.Support;

public static class TestKitExtensions
{
    /// <summary>Stops <paramref name="actor"/> with a PoisonPill and returns once it has terminated; TestActor sees nothing.</summary>
    public static void StopAndAwaitTermination(this TestKit.TestKit kit, IActorRef actor)
    {
        var probe = kit.CreateTestProbe();
        probe.Watch(actor);
        actor.Tell(PoisonPill.Instance);
        probe.ExpectTerminated(actor);
    }
}
