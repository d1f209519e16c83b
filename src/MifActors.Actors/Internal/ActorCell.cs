using Microsoft.Extensions.Logging;
using MifActors.Actors.Stash;
using MifActors.Actors.Timers;

namespace MifActors.Actors.Internal;

/// <summary>
/// One actor's runtime: its reference, its mailbox and its context in a single object, so that an idle actor
/// costs one allocation plus its instance (the path is built when asked for). The reference survives restarts; the instance does not.
/// Fields marked "turn" are touched only while the actor's mailbox runs, which is never on two threads at once.
/// </summary>
internal sealed partial class ActorCell : ActorRefBase, IInternalActorRef, IActorContext
{
    [ThreadStatic]
    internal static ActorCell? Constructing;

    private readonly ActorSystem system;
    private readonly ActorCell? parent;
    private readonly string name;
    private readonly long uid;
    private readonly Props props;
    private ActorPath? path;                // built on first use: most actors are never asked for it

    private ActorBase? actor;               // turn
    private Receive? behavior;              // turn: null means the instance's own Receive
    private object? currentMessage;         // turn
    private IActorRef? currentSender;       // turn
    private LifeState state;                // turn
    private int incarnation;                // turn
    private int delivery;                   // turn: counts deliveries, so the stash tells a second Stash() of one delivery from a message sent twice
    private Extras? extras;                 // turn: everything most actors never need
    internal ChildRestartStats? RestartStats; // the parent's turn

    public ActorCell(ActorSystem system, ActorCell? parent, string name, long uid, Props props, ActorPath? path = null)
    {
        this.system = system;
        this.parent = parent;
        this.name = name;
        this.uid = uid;
        this.props = props;
        this.path = path;
    }

    private enum LifeState : byte
    {
        Normal,
        Recreating,
        Terminating,
        Terminated,
    }

    public override ActorPath Path => path ??= parent!.Path.Child(name, uid);

    internal string Name => name;

    // One cell per incarnation, so identity is equality among cells; other kinds of reference never share a uid.
    public override bool Equals(object? obj) => ReferenceEquals(this, obj) || (obj is IActorRef other and not ActorCell && base.Equals(other));

    public override int GetHashCode() => uid.GetHashCode();

    ActorSystem? IInternalActorRef.System => system;

    public ActorSystem System => system;

    public IActorRef Self => this;

    public IActorRef Sender => currentSender ?? system.DeadLetters;

    internal IActorRef? CurrentSender => currentSender;

    internal object? CurrentMessage => currentMessage;

    internal int Delivery => delivery;

    public IActorRef Parent => (IActorRef?)parent ?? ActorRefs.Nobody;

    public Props Props => props;

    internal DateTimeOffset Now => system.TimeProvider.GetUtcNow();

    public TimeSpan? ReceiveTimeout => extras?.ReceiveTimeout;

    private Extras X => extras ??= new Extras();

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        if (extras?.BehaviorStack is { Count: > 0 } stack)
        {
            stack[^1] = receive;
        }

        behavior = receive;
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        var stack = X.BehaviorStack ??= [];
        if (stack.Count == 0) stack.Add(behavior ?? actor!.Receive);
        stack.Add(receive);
        behavior = receive;
    }

    public void UnbecomeStacked()
    {
        var stack = extras?.BehaviorStack;
        if (stack is null || stack.Count <= 1)
        {
            behavior = null;
            stack?.Clear();
            return;
        }

        stack.RemoveAt(stack.Count - 1);
        behavior = stack[^1];
    }

    public ILogger GetLogger() => X.Logger ??= new ActorLogger(system.LoggerFactory.CreateLogger(props.ActorType.FullName ?? props.ActorType.Name), Path);

    /// <summary>Binds a fresh instance from the props; the instance's constructor finds this cell.</summary>
    private void NewActorInstance()
    {
        Constructing = this;
        ActorBase instance;
        try
        {
            instance = props.NewActor();
        }
        finally
        {
            Constructing = null;
        }

        if (!ReferenceEquals(instance.Cell, this))
        {
            throw new ActorNotCreatedProperlyException(
                $"The props factory for {Path} returned an actor made elsewhere; it must return a new instance");
        }

        incarnation++;
        actor = instance;
        if (instance is IWithStash withStash)
        {
            withStash.Stash = new StashBuffer(this);
        }

        if (instance is IWithTimers withTimers)
        {
            withTimers.Timers = X.Timers = new TimerScheduler(this, incarnation);
        }
    }

    /// <summary>State that most actors never need, made on first use.</summary>
    private sealed class Extras
    {
        public List<Receive>? BehaviorStack;
        public Dictionary<IInternalActorRef, object?>? Watching;
        public HashSet<IInternalActorRef>? WatchedBy;
        public HashSet<IActorRef>? TerminatedQueued;
        public Queue<Envelope>? Prepended;
        public TimerScheduler? Timers;
        public TimeSpan? ReceiveTimeout;
        public ITimer? ReceiveTimeoutTimer;
        public long LastActivity;
        public int ReceiveTimeoutGeneration;
        public ILogger? Logger;
        public object? FailedMessage;
        public Exception? RecreateCause;
        public SupervisorStrategyCache? Strategy;
        public ActorSynchronizationContext? SynchronizationContext;
        public bool AwaitingAsync;
    }

    private sealed class SupervisorStrategyCache(Supervision.SupervisorStrategy strategy, int incarnation)
    {
        public Supervision.SupervisorStrategy Strategy { get; } = strategy;

        public int Incarnation { get; } = incarnation;
    }
}
