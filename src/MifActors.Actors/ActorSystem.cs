using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MifActors.Actors.Event;
using MifActors.Actors.Internal;
using MifActors.Actors.Supervision;

namespace MifActors.Actors;

/// <summary>
/// A tree of actors under <c>mif://name/</c>: <c>/user</c> holds what <see cref="ActorOf"/> creates,
/// <c>/system</c> the runtime's own actors. Terminating the system stops every actor, children first.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable, IDisposable
{
    private readonly ActorCell root;
    private readonly ActorCell userGuardian;
    private readonly ActorCell systemGuardian;
    private readonly TaskCompletionSource whenTerminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger runtimeLogger;
    private readonly bool trackQuiescence;
    private readonly Dispatcher dispatcher;
    private int terminateRequested;
    private int deadLettersLogged;
    private int activeMailboxes;

    private ActorSystem(string name, ActorSystemOptions options)
    {
        Name = name;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        Configuration = ReferenceConfiguration.Over(options.Configuration);
        Settings = ActorSystemSettings.From(Configuration);
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        runtimeLogger = LoggerFactory.CreateLogger("MifActors.Actors");
        trackQuiescence = options.TrackQuiescence;
        EventStream = new EventStream();
        dispatcher = Dispatcher.Create(this, Settings.Dispatcher);

        var rootPath = ActorPath.Root(name);
        TempPath = rootPath.Child("temp");
        DeadLetters = new DeadLetterActorRef(this, rootPath.Child("deadLetters"));
        var guardianProps = Props.Create(static () => new GuardianActor());
        root = new ActorCell(this, null, "/", 0, guardianProps, rootPath);
        root.Start();
        userGuardian = (ActorCell)root.ActorOf(guardianProps, "user");
        systemGuardian = (ActorCell)root.ActorOf(guardianProps, "system");
    }

    public string Name { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The configuration the system was made with, over the reference defaults.</summary>
    public IConfiguration Configuration { get; }

    public ActorSystemSettings Settings { get; }

    public ILoggerFactory LoggerFactory { get; }

    public EventStream EventStream { get; }

    /// <summary>Messages sent here are published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Completes when every actor has stopped after <see cref="Terminate"/>.</summary>
    public Task WhenTerminated => whenTerminated.Task;

    public bool IsTerminated => whenTerminated.Task.IsCompleted;

    internal ActorPath TempPath { get; }

    /// <summary>Makes an actor system; the name becomes the address, <c>mif://name</c>.</summary>
    public static ActorSystem Create(string name) => Create(name, new ActorSystemOptions());

    public static ActorSystem Create(string name, ActorSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException(
                $"actor system name \"{name}\" must be non-empty ASCII letters, digits, '-' or '_' (it becomes the address mif://{name})",
                nameof(name));
        }

        return new ActorSystem(name, options);
    }

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    /// <exception cref="InvalidActorNameException">The name is malformed or taken.</exception>
    /// <exception cref="InvalidOperationException">The system is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating();
        return userGuardian.ActorOf(props, name);
    }

    /// <summary>Creates a runtime actor under <c>/system</c>.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating();
        return systemGuardian.ActorOf(props, name);
    }

    /// <summary>Stops an actor from outside: it finishes the message in hand, then stops with its children.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is IInternalActorRef target)
        {
            target.SendSystemMessage(new Terminate());
        }
    }

    /// <summary>Finds a living actor by path, e.g. <c>mif://lab/user/host/if-wlan0</c> or <c>/user/host</c>.</summary>
    public IActorRef? ResolveActorRef(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        IEnumerable<string> elements;
        if (path.StartsWith('/'))
        {
            elements = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        }
        else if (ActorPath.TryParse(path, out var parsed) && parsed!.SystemName == Name)
        {
            elements = parsed.Elements;
        }
        else
        {
            return null;
        }

        IActorContext current = root;
        foreach (var element in elements)
        {
            if (current.Child(element) is not ActorCell child || child.IsMailboxClosed) return null;
            current = child;
        }

        return (IActorRef)current;
    }

    /// <summary>Stops every actor (user actors first, then the runtime's) and completes <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        if (Interlocked.Exchange(ref terminateRequested, 1) == 0)
        {
            userGuardian.SendSystemMessage(new Terminate());
        }

        return WhenTerminated;
    }

    public void Dispose() => Terminate().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    public override string ToString() => $"ActorSystem({Name})";

    /// <summary>
    /// Completes on a thread-pool thread once the dispatcher has started the turns of the mailboxes this thread
    /// scheduled before the call, on either dispatcher. For code outside actors that has just told many of them and
    /// wants what they do in reply to arrive together: the journal writer awaits it after answering a batch, so the
    /// next batch holds their next writes (<c>Task.Yield</c> does that only on the thread pool: on the fixed
    /// dispatcher the actors run beside the yielded continuation, not before it).
    /// </summary>
    public Task AfterScheduledTurnsStart()
    {
        var marker = new TurnsStartedMarker();
        dispatcher.AfterQueued(marker);
        return marker.Task;
    }

    internal Dispatcher Dispatcher => dispatcher;

    /// <summary>Queued behind mailboxes by <see cref="AfterScheduledTurnsStart"/>; runs on the pool.</summary>
    private sealed class TurnsStartedMarker : IThreadPoolWorkItem
    {
        // Completed on a pool thread already, so the awaiting continuation may run inline there.
        private readonly TaskCompletionSource completion = new();

        public Task Task => completion.Task;

        public void Execute() => completion.TrySetResult();
    }

    /// <summary>A mailbox got work while idle.</summary>
    internal void Schedule(ActorCell cell)
    {
        if (trackQuiescence) Interlocked.Increment(ref activeMailboxes);
        dispatcher.Schedule(cell);
    }

    /// <summary>A turn ended with work left; the mailbox keeps its scheduled bit.</summary>
    internal void Reschedule(ActorCell cell)
    {
        if (trackQuiescence) Interlocked.Increment(ref activeMailboxes);
        dispatcher.Reschedule(cell);
    }

    internal void MailboxIdle()
    {
        if (trackQuiescence) Interlocked.Decrement(ref activeMailboxes);
    }

    /// <summary>True once no mailbox is scheduled or running (only with quiescence tracking).</summary>
    internal bool IsQuiescent => Volatile.Read(ref activeMailboxes) == 0;

    internal void CellTerminated(ActorCell cell)
    {
        if (ReferenceEquals(cell, userGuardian))
        {
            Interlocked.Exchange(ref terminateRequested, 1);
            systemGuardian.SendSystemMessage(new Terminate());
        }
        else if (ReferenceEquals(cell, systemGuardian))
        {
            root.SendSystemMessage(new Terminate());
        }
        else if (ReferenceEquals(cell, root))
        {
            dispatcher.Shutdown();
            whenTerminated.TrySetResult();
        }
    }

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        if (message is DeadLetter) return; // never a dead letter of a dead letter
        var letter = new DeadLetter(message, sender, recipient);
        var limit = Settings.LogDeadLetters;
        if (limit > 0 && runtimeLogger.IsEnabled(LogLevel.Information))
        {
            var count = Interlocked.Increment(ref deadLettersLogged);
            if (count <= limit)
            {
                runtimeLogger.LogInformation(
                    "Dead letter {Count}/{Limit}: {MessageType} from {Sender} to {Recipient}{More}",
                    count, limit, message.GetType().Name, sender?.Path.ToString() ?? "no sender", recipient.Path, count == limit ? " (no more dead letters are logged)" : "");
            }
        }

        EventStream.Publish(letter);
    }

    internal void LogFailure(IActorRef child, Exception cause, Directive directive)
    {
        var level = directive == Directive.Resume ? LogLevel.Warning : LogLevel.Error;
        runtimeLogger.Log(level, cause, "{Child} failed with {Exception}: {Message}; supervisor decided {Directive}", child.Path, cause.GetType().Name, cause.Message, directive);
    }

    internal void LogWarning(string message) => runtimeLogger.LogWarning("{Message}", message);

    internal void LogError(Exception exception, string message) => runtimeLogger.LogError(exception, "{Message}", message);

    internal void LogInternalError(Exception exception, string message) =>
        runtimeLogger.LogCritical(exception, "Actor runtime error: {Message}", message);

    private void ThrowIfTerminating()
    {
        if (Volatile.Read(ref terminateRequested) != 0)
        {
            throw new InvalidOperationException($"actor system \"{Name}\" is terminated or terminating and takes no new actors");
        }
    }

    /// <summary>The actor behind /, /user and /system: it only supervises.</summary>
    private sealed class GuardianActor : ActorBase
    {
        protected internal override bool Receive(object message) => false;
    }
}
