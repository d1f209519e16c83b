namespace MifActors.Actors.Internal;

/// <summary>Where messages to stopped actors end up: published on the event stream as <see cref="DeadLetter"/>.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase, IInternalActorRef
{
    public override ActorPath Path { get; } = path;

    public ActorSystem? System => system;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter letter)
        {
            system.PublishDeadLetter(letter.Message, letter.Sender, letter.Recipient);
        }
        else
        {
            system.PublishDeadLetter(message, sender, this);
        }
    }

    public void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(watch.Watchee, existenceConfirmed: false));
        }
    }
}

/// <summary>
/// A one-shot reference that completes a task with the first message it gets (Ask), or with a termination it
/// watched (graceful stop). Not part of the actor tree; its path lives under <c>/temp</c>.
/// </summary>
internal sealed class PromiseActorRef : ActorRefBase, IInternalActorRef
{
    private static long counter;
    private readonly TaskCompletionSource<object> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PromiseActorRef(ActorSystem system)
    {
        System = system;
        Path = system.TempPath.Child(ActorNames.Generated(Interlocked.Increment(ref counter)), ActorNames.NewUid());
    }

    public override ActorPath Path { get; }

    public ActorSystem? System { get; }

    public Task<object> Task => completion.Task;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!completion.TrySetResult(message))
        {
            System!.PublishDeadLetter(message, sender, this);
        }
    }

    public void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification notification:
                completion.TrySetResult(new Terminated(notification.Actor));
                break;
            case Watch watch when !ReferenceEquals(watch.Watchee, this):
                break;
            case Watch watch:
                // Someone watches a promise: it ends when it completes, which for them is as good as now.
                watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: false));
                break;
        }
    }
}
