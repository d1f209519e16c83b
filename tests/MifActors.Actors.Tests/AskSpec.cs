using MifActors.Actors.Pattern;
using MifActors.Actors.Tests.Support;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class AskSpec(ITestOutputHelper output) : TestKit.TestKit(output, virtualTime: true)
{
    /// <summary>Answers "hello" with "hi", "fail" with a Status.Failure, "number" with 42, and ignores the rest.</summary>
    private sealed class Responder : ReceiveActor
    {
        public Responder()
        {
            Receive<string>(s => s == "hello", _ => Sender.Tell("hi"));
            Receive<string>(s => s == "fail", _ => Sender.Tell(new Status.Failure(new FormatException("bad request"))));
            Receive<string>(s => s == "number", _ => Sender.Tell(42));
            Receive<string>(_ => { });
        }
    }

    private IActorRef NewResponder() => Sys.ActorOf(Props.Create<Responder>());

    [Fact]
    public async Task Ask_completes_with_the_reply()
    {
        Assert.Equal("hi", await NewResponder().Ask<string>("hello", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ask_without_a_reply_throws_AskTimeoutException_when_the_virtual_timeout_passes()
    {
        var ask = NewResponder().Ask<string>("silence", TimeSpan.FromSeconds(5));
        Advance(TimeSpan.FromSeconds(4));
        Assert.False(ask.IsCompleted);
        Advance(TimeSpan.FromSeconds(1));

        var thrown = await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        Assert.IsAssignableFrom<TimeoutException>(thrown);
        Assert.Contains("timed out after 5000 ms", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Status_Failure_reply_throws_its_cause()
    {
        var thrown = await Assert.ThrowsAsync<FormatException>(() => NewResponder().Ask<string>("fail", TimeSpan.FromSeconds(5)));
        Assert.Equal("bad request", thrown.Message);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_type_throws_InvalidCastException_naming_both_types()
    {
        var thrown = await Assert.ThrowsAsync<InvalidCastException>(() => NewResponder().Ask<string>("number", TimeSpan.FromSeconds(5)));
        Assert.Contains("String", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PipeTo_sends_the_result_of_a_successful_task()
    {
        Task.FromResult(7).PipeTo(TestActor);
        ExpectMsg(7);
    }

    [Fact]
    public void PipeTo_sends_Status_Failure_with_the_cause_of_a_failed_task()
    {
        Task.FromException<int>(new FormatException("no number")).PipeTo(TestActor);
        var failure = ExpectMsg<Status.Failure>();
        Assert.IsType<FormatException>(failure.Cause);
    }

    [Fact]
    public async Task GracefulStop_completes_with_true_once_the_actor_has_stopped()
    {
        var actor = NewResponder();
        Watch(actor);
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
        ExpectTerminated(actor);
    }

    [Fact]
    public async Task GracefulStop_completes_with_false_when_the_actor_does_not_stop_in_time()
    {
        var actor = NewResponder();
        var stop = actor.GracefulStop(TimeSpan.FromSeconds(5), stopMessage: "ignored");
        Advance(TimeSpan.FromSeconds(5));

        Assert.False(await stop);
        actor.Tell("hello", TestActor);
        ExpectMsg("hi");
    }

    [Fact]
    public async Task GracefulStop_of_an_actor_that_already_stopped_completes_with_true()
    {
        var actor = NewResponder();
        this.StopAndAwaitTermination(actor);

        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ask_cancelled_by_its_token_throws_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        var ask = NewResponder().Ask<string>("silence", TimeSpan.FromSeconds(5), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }

    [Fact]
    public async Task Ask_to_a_stopped_actor_times_out_and_the_question_becomes_a_dead_letter()
    {
        var actor = NewResponder();
        this.StopAndAwaitTermination(actor);
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);

        var ask = actor.Ask<string>("hello", TimeSpan.FromSeconds(5));
        Assert.Equal("hello", ExpectMsg<DeadLetter>().Message);
        Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
    }
}
