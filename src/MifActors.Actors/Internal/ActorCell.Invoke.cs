namespace MifActors.Actors.Internal;

/// <summary>Delivering one user message, including the messages the runtime handles itself.</summary>
internal sealed partial class ActorCell
{
    private void Invoke(object message, IActorRef? sender)
    {
        delivery++;

        // Written only when they change: a burst from one sender, or of one shared message, writes nothing here.
        if (!ReferenceEquals(currentMessage, message)) currentMessage = message;
        if (!ReferenceEquals(currentSender, sender)) currentSender = sender;
        try
        {
            if (message is IAutoReceivedMessage)
            {
                AutoReceive(message);
            }
            else
            {
                Deliver(message);
            }

            if (extras?.ReceiveTimeout is not null && message is not INotInfluenceReceiveTimeout)
            {
                extras.LastActivity = system.TimeProvider.GetTimestamp();
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    /// <summary>End of a turn: the last message and its sender are not kept alive by an idle actor.</summary>
    private void ForgetCurrentMessage()
    {
        if (extras is null || !extras.AwaitingAsync)
        {
            currentMessage = null;
            currentSender = null;
        }
    }

    private void Deliver(object message) => actor!.AroundReceive(behavior, message);

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case PoisonPill:
                HandleTerminate();
                break;
            case Kill:
                throw new ActorKilledException($"Kill message received by {Path}");
            case Terminated terminated:
                if (extras?.TerminatedQueued?.Remove(terminated.ActorRef) == true) Deliver(terminated);
                break;
            case WatchedMessage watched:
                if (extras?.TerminatedQueued?.Remove(watched.Subject) == true)
                {
                    currentMessage = watched.Message;
                    Deliver(watched.Message);
                }

                break;
            case TimerFired fired:
                if (extras?.Timers is { } timers && timers.Accept(fired))
                {
                    currentMessage = fired.Message;
                    currentSender = null;
                    Deliver(fired.Message);
                }

                break;
            case ReceiveTimeoutFired fired:
                HandleReceiveTimeoutFired(fired);
                break;
            default:
                Deliver(message);
                break;
        }
    }
}

/// <summary>The message a watcher asked for with WatchWith, delivered only while it still watches.</summary>
internal sealed record WatchedMessage(IActorRef Subject, object Message) : IAutoReceivedMessage;

/// <summary>A timer of this actor went off; stale when the timer was cancelled or replaced since.</summary>
internal sealed record TimerFired(object Key, int Generation, int Incarnation, object Message) : IAutoReceivedMessage;

internal sealed record ReceiveTimeoutFired(int Generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;
