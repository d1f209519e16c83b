using MifActors.Actors.Pattern;

namespace MifActors.Actors.Tests;

public sealed class SmokeSpec : TestKit.TestKit
{
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public void An_echo_actor_replies_to_its_sender()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>(), "echo");
        echo.Tell("hello", TestActor);
        ExpectMsg("hello");
        Assert.Equal("mif://" + Sys.Name + "/user/echo", echo.Path.ToString());
    }

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Assert.Equal(42, await echo.Ask<int>(42, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void A_watched_actor_that_stops_delivers_Terminated()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Watch(echo);
        echo.Tell(PoisonPill.Instance);
        ExpectTerminated(echo);
    }
}
