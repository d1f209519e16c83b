using MifActors.Actors.Supervision;
using Xunit.Abstractions;

namespace MifActors.Actors.Tests;

public sealed class BackoffSpec(ITestOutputHelper output) : TestKit.TestKit(output, virtualTime: true)
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Nothing = TimeSpan.FromMilliseconds(20);

    /// <summary>Reports "started"; "stop" stops it, "fail" makes it throw.</summary>
    private sealed class Worker : ReceiveActor
    {
        private readonly IActorRef probe;

        public Worker(IActorRef probe)
        {
            this.probe = probe;
            Receive<string>(s => s == "stop", _ => Context.Stop(Self));
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("worker asked to fail"));
        }

        protected internal override void PreStart() => probe.Tell("started");
    }

    private IActorRef StartSupervisor(BackoffMode mode, TimeSpan? reset = null)
    {
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(new BackoffOptions(
            Props.Create(() => new Worker(TestActor)), "worker", Min, Max, RandomFactor: 0, reset, mode)));
        ExpectMsg("started");
        return supervisor;
    }

    /// <summary>Takes the child down and checks it comes back exactly <paramref name="after"/> later.</summary>
    private void ExpectRestartAfter(IActorRef supervisor, string takeDown, TimeSpan after)
    {
        supervisor.Tell(takeDown);
        Advance(after - TimeSpan.FromMilliseconds(1));
        ExpectNoMsg(Nothing);
        Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("started");
    }

    [Fact]
    public void A_stopped_child_restarts_after_min_then_twice_as_long_capped_at_max()
    {
        var supervisor = StartSupervisor(BackoffMode.OnStop);

        ExpectRestartAfter(supervisor, "stop", TimeSpan.FromSeconds(1));
        ExpectRestartAfter(supervisor, "stop", TimeSpan.FromSeconds(2));
        ExpectRestartAfter(supervisor, "stop", TimeSpan.FromSeconds(4));
        ExpectRestartAfter(supervisor, "stop", TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_child_that_runs_for_the_reset_time_starts_the_backoff_over_at_min()
    {
        var supervisor = StartSupervisor(BackoffMode.OnStop, reset: TimeSpan.FromSeconds(30));
        ExpectRestartAfter(supervisor, "stop", TimeSpan.FromSeconds(1));
        ExpectRestartAfter(supervisor, "stop", TimeSpan.FromSeconds(2));

        Advance(TimeSpan.FromSeconds(30));
        supervisor.Tell(BackoffSupervisor.GetRestartCount.Instance, TestActor);
        ExpectMsg(new BackoffSupervisor.RestartCount(0));
        ExpectRestartAfter(supervisor, "stop", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void In_OnFailure_mode_a_failing_child_is_started_again_after_the_backoff()
    {
        var supervisor = StartSupervisor(BackoffMode.OnFailure);

        ExpectRestartAfter(supervisor, "fail", TimeSpan.FromSeconds(1));
        ExpectRestartAfter(supervisor, "fail", TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void In_OnStop_mode_a_failing_child_is_restarted_at_once_by_the_default_strategy()
    {
        var supervisor = StartSupervisor(BackoffMode.OnStop);
        supervisor.Tell("fail");

        ExpectMsg("started");
        supervisor.Tell(BackoffSupervisor.GetRestartCount.Instance, TestActor);
        ExpectMsg(new BackoffSupervisor.RestartCount(0));
    }

    [Fact]
    public void Messages_sent_while_the_child_is_down_become_dead_letters()
    {
        var supervisor = StartSupervisor(BackoffMode.OnStop);
        supervisor.Tell("stop");
        Advance(TimeSpan.Zero);

        EventFilter.DeadLetter<string>(s => s == "hello").Expect(1, () => supervisor.Tell("hello"));
    }
}
