namespace MifActors.Actors.Internal;

/// <summary>Death watch: who this actor watches, who watches it, and the Terminated it is owed.</summary>
internal sealed partial class ActorCell
{
    public IActorRef Watch(IActorRef subject) => WatchCore(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchCore(subject, message);
    }

    private IActorRef WatchCore(IActorRef subject, object? customMessage)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (ReferenceEquals(subject, this)) return subject;
        if (subject is not IInternalActorRef target)
        {
            throw new ArgumentException($"{subject} is not a reference this runtime can watch", nameof(subject));
        }

        var watching = X.Watching ??= [];
        var isNew = !watching.ContainsKey(target);
        watching[target] = customMessage;
        if (isNew)
        {
            target.SendSystemMessage(new Watch(target, this));
        }

        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is IInternalActorRef target && extras?.Watching?.Remove(target) == true)
        {
            target.SendSystemMessage(new Unwatch(target, this));
        }

        extras?.TerminatedQueued?.Remove(subject);
        return subject;
    }

    private void HandleWatch(Watch watch)
    {
        if (ReferenceEquals(watch.Watchee, this) && !ReferenceEquals(watch.Watcher, this))
        {
            (X.WatchedBy ??= []).Add(watch.Watcher);
        }
    }

    private void HandleUnwatch(Unwatch unwatch)
    {
        if (ReferenceEquals(unwatch.Watchee, this))
        {
            extras?.WatchedBy?.Remove(unwatch.Watcher);
        }
    }

    private void HandleDeathWatchNotification(DeathWatchNotification notification)
    {
        if (notification.Actor is not IInternalActorRef subject) return;
        if (extras?.Watching is not { } watching || !watching.Remove(subject, out var customMessage)) return;

        // A dead child's name is free before its Terminated is handled, so the handler can reuse it; the
        // ChildTerminated the child sends after its watchers finds it gone already.
        if (subject is ActorCell child && ReferenceEquals(child.parent, this)) children?.Remove(child);

        // Delivered through the mailbox, after what the subject sent before it stopped.
        (X.TerminatedQueued ??= []).Add(subject);
        object delivery = customMessage is null ? new Terminated(subject) : new WatchedMessage(subject, customMessage);
        userQueue.Enqueue(delivery, subject);
    }

    private void TellWatchersAndUnwatchAll()
    {
        if (extras?.WatchedBy is { } watchers)
        {
            foreach (var watcher in watchers)
            {
                watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: true));
            }

            watchers.Clear();
        }

        if (extras?.Watching is { } watching)
        {
            foreach (var subject in watching.Keys)
            {
                subject.SendSystemMessage(new Unwatch(subject, this));
            }

            watching.Clear();
        }
    }
}
