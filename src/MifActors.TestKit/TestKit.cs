using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MifActors.Actors;
using Xunit.Abstractions;

namespace MifActors.TestKit;

/// <summary>
/// Base class for actor tests: owns an actor system (terminated on dispose), a <see cref="TestActor"/> to
/// expect messages on, probes, an event filter and, on request, virtual time.
/// </summary>
public abstract class TestKit : IDisposable
{
    private static int systemCounter;
    private readonly TestLoggerProvider logging;
    private int probeCounter;
    private bool disposed;

    /// <param name="output">xunit's output: the system's log goes there.</param>
    /// <param name="configuration">Overrides over the reference configuration.</param>
    /// <param name="virtualTime">Run the system on a <see cref="VirtualTimeProvider"/>; move it with <see cref="Advance"/>.</param>
    /// <param name="systemName">The system's name; a fresh one per test when null.</param>
    protected TestKit(ITestOutputHelper? output = null, IConfiguration? configuration = null, bool virtualTime = false, string? systemName = null)
    {
        logging = new TestLoggerProvider(output is null ? null : output.WriteLine, LogLevel.Debug);
        if (virtualTime)
        {
            Time = new VirtualTimeProvider();
            Time.AfterEachFiring = WaitForIdle;
        }

        Sys = ActorSystem.Create(systemName ?? $"test{Interlocked.Increment(ref systemCounter)}", new ActorSystemOptions
        {
            Configuration = configuration,
            LoggerFactory = logging,
            TimeProvider = (TimeProvider?)Time ?? TimeProvider.System,
            TrackQuiescence = virtualTime,
        });
        logging.Attach(Sys);
        Settings = new TestKitSettings(Sys);
        TestActor = CreateTestProbe("testActor");
        EventFilter = new EventFilter(this);
    }

    /// <summary>The system under test.</summary>
    public ActorSystem Sys { get; }

    public TestKitSettings Settings { get; }

    /// <summary>The default probe: <see cref="ExpectMsg{T}(TimeSpan?)"/> and friends read from it.</summary>
    public TestProbe TestActor { get; }

    /// <summary>The virtual clock, when the test asked for one.</summary>
    public VirtualTimeProvider? Time { get; }

    public EventFilter EventFilter { get; }

    /// <summary>The sender of the last message <see cref="TestActor"/> took.</summary>
    public IActorRef? LastSender => TestActor.LastSender;

    public TestProbe CreateTestProbe(string? name = null) =>
        new(Sys, Sys.DeadLetters.Path.Parent!.Child("system").Child(name ?? $"testProbe-{Interlocked.Increment(ref probeCounter)}"), Settings);

    /// <summary>Moves virtual time forward, firing due timers one by one and letting the system settle after each.</summary>
    public void Advance(TimeSpan by)
    {
        var time = Time ?? throw new InvalidOperationException("this TestKit runs on real time; pass virtualTime: true to its constructor");
        time.Advance(by);
    }

    /// <summary>Waits (in real time) until no actor has a message to process; only with virtual time.</summary>
    public void WaitForIdle()
    {
        if (Time is null) throw new InvalidOperationException("WaitForIdle needs virtualTime: true (it is how the TestKit knows the system is idle)");
        var deadline = DateTime.UtcNow + Settings.SingleExpectDefault;
        var spinner = new SpinWait();
        var quietRounds = 0;
        while (quietRounds < 2)
        {
            // Two looks in a row: a mailbox that just finished may be about to schedule another.
            quietRounds = Sys.IsQuiescent ? quietRounds + 1 : 0;
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionFailedException($"the actor system did not become idle within {Settings.SingleExpectDefault.TotalMilliseconds:0} ms");
            }

            spinner.SpinOnce();
        }
    }

    public T ExpectMsg<T>(TimeSpan? max = null) => TestActor.ExpectMsg<T>(max);

    public T ExpectMsg<T>(T expected, TimeSpan? max = null)
        where T : notnull => TestActor.ExpectMsg(expected, max);

    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? max = null, string? hint = null) => TestActor.ExpectMsg(predicate, max, hint);

    public void ExpectNoMsg(TimeSpan? duration = null) => TestActor.ExpectNoMsg(duration);

    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? max = null) => TestActor.ExpectTerminated(actor, max);

    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null) => TestActor.ReceiveN(count, max);

    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? max = null) => TestActor.FishForMessage(isTheOne, max);

    public T FishForMessage<T>(Predicate<T>? isTheOne = null, TimeSpan? max = null) => TestActor.FishForMessage(isTheOne, max);

    public void Within(TimeSpan min, TimeSpan max, Action action) => TestActor.Within(min, max, action);

    public void Within(TimeSpan max, Action action) => TestActor.Within(max, action);

    public T Within<T>(TimeSpan min, TimeSpan max, Func<T> action) => TestActor.Within(min, max, action);

    /// <summary><see cref="TestActor"/> watches <paramref name="actor"/>.</summary>
    public IActorRef Watch(IActorRef actor) => TestActor.Watch(actor);

    /// <summary>Retries <paramref name="assertion"/> until it stops throwing, or rethrows its last failure after <paramref name="max"/>.</summary>
    public void AwaitAssert(Action assertion, TimeSpan? max = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var limit = max is { } m ? Settings.Dilate(m) : Settings.SingleExpectDefault;
        var pause = interval ?? TimeSpan.FromMilliseconds(10);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(pause);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails after <paramref name="max"/>.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = max is { } m ? Settings.Dilate(m) : Settings.SingleExpectDefault;
        var pause = interval ?? TimeSpan.FromMilliseconds(10);
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new AssertionFailedException($"condition {(message is null ? "" : "\"" + message + "\" ")}did not hold within {limit.TotalMilliseconds:0} ms");
            }

            Thread.Sleep(pause);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed) return;
        disposed = true;
        if (disposing && !Sys.Terminate().Wait(TimeSpan.FromSeconds(10)))
        {
            throw new AssertionFailedException($"actor system {Sys.Name} did not terminate within 10 s; an actor is stuck in a handler");
        }
    }
}
