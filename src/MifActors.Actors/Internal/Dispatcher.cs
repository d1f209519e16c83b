namespace MifActors.Actors.Internal;

/// <summary>Decides which thread runs a mailbox's turn. One per actor system.</summary>
internal abstract class Dispatcher
{
    public static Dispatcher Create(ActorSystem system, DispatcherSettings settings) => settings.Type switch
    {
        DispatcherType.ThreadPool => ThreadPoolDispatcher.Instance,
        _ => new FixedDispatcher(system, settings),
    };

    /// <summary>A mailbox got work while idle: run a turn for it soon.</summary>
    public abstract void Schedule(ActorCell cell);

    /// <summary>A turn ended with work left: the mailbox goes behind what else waits, so a busy actor yields to others.</summary>
    public abstract void Reschedule(ActorCell cell);

    /// <summary>
    /// Runs <paramref name="item"/> on the thread pool once the turns this thread scheduled before the call have
    /// started (roughly: behind them in the dispatcher's queues).
    /// </summary>
    public abstract void AfterQueued(IThreadPoolWorkItem item);

    /// <summary>Every actor of the system has stopped: release the threads.</summary>
    public abstract void Shutdown();
}

/// <summary>Turns run on the shared .NET thread pool.</summary>
internal sealed class ThreadPoolDispatcher : Dispatcher
{
    public static readonly ThreadPoolDispatcher Instance = new();

    // From inside a turn the mailbox goes to this thread's local queue: it runs next here, or an idle thread steals
    // it, without touching the contended global queue.
    public override void Schedule(ActorCell cell) =>
        ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: ActorCell.Current is not null);

    // Not the local queue: it is LIFO, so the mailbox would run again at once and starve whatever else waits.
    public override void Reschedule(ActorCell cell) => ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: false);

    // Not the local queue, as Reschedule: the global queue is FIFO, so the item runs after what a foreign thread
    // scheduled, and a pool thread looks at its local queue (what a turn scheduled) before the global one.
    public override void AfterQueued(IThreadPoolWorkItem item) => ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);

    public override void Shutdown()
    {
    }
}
