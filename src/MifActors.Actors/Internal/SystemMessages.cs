using System.Runtime.CompilerServices;

namespace MifActors.Actors.Internal;

/// <summary>
/// Messages the runtime sends between cells: life cycle, supervision, death watch. They go through their own
/// queue, which a cell drains before any user message. Each instance is linked into one queue at a time.
/// </summary>
internal abstract class SystemMessage
{
    internal SystemMessage? Next;
}

internal sealed class Terminate : SystemMessage;

internal sealed class Suspend : SystemMessage;

internal sealed class Resume(Exception? causedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = causedByFailure;
}

internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class Failed(IInternalActorRef child, Exception cause, long uid) : SystemMessage
{
    public IInternalActorRef Child { get; } = child;

    public Exception Cause { get; } = cause;

    public long Uid { get; } = uid;
}

internal sealed class Watch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;

    public IInternalActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;

    public IInternalActorRef Watcher { get; } = watcher;
}

internal sealed class DeathWatchNotification(IActorRef actor, bool existenceConfirmed) : SystemMessage
{
    public IActorRef Actor { get; } = actor;

    public bool ExistenceConfirmed { get; } = existenceConfirmed;
}

internal sealed class ChildTerminated(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

/// <summary>A continuation of an async handler, run on the actor's own turn.</summary>
internal sealed class RunContinuation(SendOrPostCallback callback, object? state) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;

    public object? State { get; } = state;
}

/// <summary>The task an async handler returned has finished; user messages may flow again.</summary>
internal sealed class AsyncHandlerCompleted(Task task, int incarnation) : SystemMessage
{
    public Task Task { get; } = task;

    public int Incarnation { get; } = incarnation;
}

/// <summary>A Treiber stack of system messages: many producers push, the owner takes all at once.</summary>
internal struct SystemMessageQueue
{
    private SystemMessage? head;

    public readonly bool HasMessages => Volatile.Read(ref Unsafe.AsRef(in head)) is not null;

    public void Push(SystemMessage message)
    {
        while (true)
        {
            var current = Volatile.Read(ref head);
            message.Next = current;
            if (ReferenceEquals(Interlocked.CompareExchange(ref head, message, current), current)) return;
        }
    }

    /// <summary>Takes every message, oldest first.</summary>
    public SystemMessage? TakeAll()
    {
        var taken = Interlocked.Exchange(ref head, null);
        SystemMessage? reversed = null;
        while (taken is not null)
        {
            var next = taken.Next;
            taken.Next = reversed;
            reversed = taken;
            taken = next;
        }

        return reversed;
    }
}
