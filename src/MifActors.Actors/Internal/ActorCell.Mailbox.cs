namespace MifActors.Actors.Internal;

/// <summary>The mailbox: two queues, a status word, and the turn that drains them.</summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private const int Scheduled = 1;
    private const int Closed = 2;

    private MpscQueue userQueue;
    private SystemMessageQueue systemQueue;
    private int status;
    private int suspendCount; // turn
    private bool started;     // turn: the first turn has created (or tried to create) the instance

    private bool IsClosed => (Volatile.Read(ref status) & Closed) != 0;

    /// <summary>Whether the actor has stopped for good; safe to read from any thread.</summary>
    internal bool IsMailboxClosed => IsClosed;

    private bool CanProcessUserMessages =>
        suspendCount == 0 && state == LifeState.Normal && (extras is null || !extras.AwaitingAsync);

    private bool HasUserMessages => extras?.Prepended is { Count: > 0 } || userQueue.HasMessages;

    /// <summary>The actor whose turn runs on this thread: the implicit sender of what it tells.</summary>
    [ThreadStatic]
    internal static ActorCell? Current;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        sender ??= Current;
        if (IsClosed)
        {
            system.PublishDeadLetter(message, sender, this);
            return;
        }

        userQueue.Enqueue(message, sender);
        if (IsClosed)
        {
            // Closed between our check and our enqueue: nobody else will read the queue.
            DrainUserMessagesAfterClose();
            return;
        }

        TrySchedule();
    }

    public void SendSystemMessage(SystemMessage message)
    {
        systemQueue.Push(message);
        if (IsClosed)
        {
            DrainSystemMessagesAfterClose();
            return;
        }

        TrySchedule();
    }

    private void TrySchedule()
    {
        var current = Volatile.Read(ref status);
        while ((current & (Scheduled | Closed)) == 0)
        {
            var previous = Interlocked.CompareExchange(ref status, current | Scheduled, current);
            if (previous == current)
            {
                system.Schedule(this);
                return;
            }

            current = previous;
        }
    }

    public void Execute()
    {
        var outer = Current;
        Current = this;
        try
        {
            ProcessSystemMessages();
            if (CanProcessUserMessages)
            {
                ProcessUserMessages();
                ForgetCurrentMessage();
            }
        }
        catch (Exception e)
        {
            // Handlers catch what actors throw; reaching here is a runtime bug, which must not take the process down.
            system.LogInternalError(e, $"mailbox of {Path} failed");
        }
        finally
        {
            Current = outer;
        }

        if (!IsClosed && (systemQueue.HasMessages || (CanProcessUserMessages && HasUserMessages)))
        {
            // More to do: keep the Scheduled bit and go behind whatever else waits, which is what throughput is for.
            system.Reschedule(this);
        }
        else
        {
            // The clear is a full fence, so a producer that saw Scheduled set has already enqueued what we re-check.
            Interlocked.And(ref status, ~Scheduled);
            if (!IsClosed && (systemQueue.HasMessages || (CanProcessUserMessages && HasUserMessages)))
            {
                TrySchedule();
            }
        }

        system.MailboxIdle();
    }

    private void ProcessUserMessages()
    {
        var left = props.Throughput ?? system.Settings.Throughput;
        while (left-- > 0)
        {
            Envelope envelope;
            if (extras?.Prepended is { Count: > 0 } prepended)
            {
                envelope = prepended.Dequeue();
            }
            else if (!userQueue.TryDequeue(out envelope))
            {
                return;
            }

            Invoke(envelope.Message!, envelope.Sender);
            if (systemQueue.HasMessages)
            {
                ProcessSystemMessages();
            }

            if (!CanProcessUserMessages) return;
        }
    }

    /// <summary>Schedules the first turn, which creates the instance before anything else is processed.</summary>
    internal void Start() => TrySchedule();

    private void ProcessSystemMessages()
    {
        if (!started)
        {
            // Creation is a flag rather than a queued message: one allocation and two atomics less per spawn.
            started = true;
            HandleCreate();
        }

        while (systemQueue.HasMessages)
        {
            // A failure raised here must not be blamed on the last user message (an async handler keeps its own).
            ForgetCurrentMessage();
            var message = systemQueue.TakeAll();
            if (message is null) return;
            while (message is not null)
            {
                var next = message.Next;
                message.Next = null;
                if (state == LifeState.Terminated)
                {
                    HandleSystemMessageAfterClose(message);
                }
                else
                {
                    try
                    {
                        HandleSystemMessage(message);
                    }
                    catch (Exception e)
                    {
                        HandleInvokeFailure(e);
                    }
                }

                message = next;
            }
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Terminate: HandleTerminate(); break;
            case Failed failed: HandleFailed(failed); break;
            case ChildTerminated childTerminated: HandleChildTerminated(childTerminated.Child); break;
            case Watch watch: HandleWatch(watch); break;
            case Unwatch unwatch: HandleUnwatch(unwatch); break;
            case DeathWatchNotification notification: HandleDeathWatchNotification(notification); break;
            case Suspend: HandleSuspend(); break;
            case Resume resume: HandleResume(resume); break;
            case Recreate recreate: HandleRecreate(recreate.Cause); break;
            case RunContinuation continuation: RunContinuationOnTurn(continuation); break;
            case AsyncHandlerCompleted completed: HandleAsyncHandlerCompleted(completed); break;
            default: throw new InvalidOperationException($"unknown system message {message.GetType().Name}");
        }
    }

    /// <summary>Closes the mailbox for good; what is left in it becomes dead letters.</summary>
    private void CloseMailbox()
    {
        Interlocked.Or(ref status, Closed);
        if (extras?.Prepended is { } prepended)
        {
            while (prepended.TryDequeue(out var envelope))
            {
                system.PublishDeadLetter(envelope.Message!, envelope.Sender, this);
            }
        }

        DrainUserMessagesAfterClose();
        DrainSystemMessagesAfterClose();
    }

    private void DrainUserMessagesAfterClose()
    {
        // The queue has one consumer; after close, whoever drains holds this lock.
        lock (props)
        {
            while (userQueue.TryDequeue(out var envelope))
            {
                system.PublishDeadLetter(envelope.Message!, envelope.Sender, this);
            }
        }
    }

    private void DrainSystemMessagesAfterClose()
    {
        var message = systemQueue.TakeAll();
        while (message is not null)
        {
            var next = message.Next;
            message.Next = null;
            HandleSystemMessageAfterClose(message);
            message = next;
        }
    }

    private void HandleSystemMessageAfterClose(SystemMessage message)
    {
        // A watch that arrives after the end is answered at once; everything else has nothing left to act on.
        if (message is Watch watch && ReferenceEquals(watch.Watchee, this) && !ReferenceEquals(watch.Watcher, this))
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: true));
        }
    }
}
