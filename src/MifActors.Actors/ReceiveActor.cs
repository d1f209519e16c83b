using MifActors.Actors.Internal;

namespace MifActors.Actors;

/// <summary>
/// An actor that declares its handlers in its constructor: <c>Receive&lt;Ping&gt;(p =&gt; ...)</c>. The first
/// handler whose type (and predicate) matches handles the message. <c>ReceiveAsync</c> handlers hold the mailbox
/// until their task ends, and their continuations run on the actor's own turn.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private HandlerSet? building = new();
    private HandlerSet? initial;

    protected void Receive<T>(Action<T> handler) => Add(new Handler<T>(handler, null));

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Add(new Handler<T>(handler, shouldHandle));

    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle) => Add(new Handler<T>(handler, shouldHandle));

    /// <summary>A handler whose task must end before the actor takes its next message.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null) =>
        Add(new AsyncHandler<T>(Cell, handler, shouldHandle));

    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) =>
        Add(new AsyncHandler<T>(Cell, handler, shouldHandle));

    /// <summary>Handles every message not handled by an earlier handler.</summary>
    protected void ReceiveAny(Action<object> handler) => Add(new Handler<object>(handler, null));

    protected void ReceiveAnyAsync(Func<object, Task> handler) => Add(new AsyncHandler<object>(Cell, handler, null));

    /// <summary>Switches to the handlers that <paramref name="configure"/> declares.</summary>
    protected void Become(Action configure) => Context.Become(Build(configure));

    /// <summary>Pushes the handlers that <paramref name="configure"/> declares; UnbecomeStacked pops them.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    protected internal sealed override bool Receive(object message)
    {
        initial ??= Seal();
        return initial.Handle(message);
    }

    private Receive Build(Action configure)
    {
        var outer = building;
        building = new HandlerSet();
        try
        {
            configure();
            return building.Handle;
        }
        finally
        {
            building = outer;
        }
    }

    private HandlerSet Seal()
    {
        var set = building ?? new HandlerSet();
        building = null;
        return set;
    }

    private void Add(IHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (building is null)
        {
            throw new InvalidOperationException(
                "Receive handlers are declared in the constructor or inside Become(() => ...), not after the actor started");
        }

        building.Add(handler);
    }

    private interface IHandler
    {
        bool TryHandle(object message);
    }

    private sealed class HandlerSet
    {
        private IHandler[] handlers = [];

        public void Add(IHandler handler) => handlers = [.. handlers, handler];

        public bool Handle(object message)
        {
            foreach (var handler in handlers)
            {
                if (handler.TryHandle(message)) return true;
            }

            return false;
        }
    }

    private sealed class Handler<T>(Action<T> action, Predicate<T>? shouldHandle) : IHandler
    {
        private readonly Action<T> action = action ?? throw new ArgumentNullException(nameof(action));

        public bool TryHandle(object message)
        {
            if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
            action(typed);
            return true;
        }
    }

    private sealed class AsyncHandler<T>(ActorCell cell, Func<T, Task> action, Predicate<T>? shouldHandle) : IHandler
    {
        private readonly Func<T, Task> action = action ?? throw new ArgumentNullException(nameof(action));

        public bool TryHandle(object message)
        {
            if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
            cell.RunAsyncHandler(typed, action);
            return true;
        }
    }
}
