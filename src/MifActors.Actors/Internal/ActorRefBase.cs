namespace MifActors.Actors.Internal;

/// <summary>Equality, ordering and printing shared by every reference: same path and same incarnation.</summary>
public abstract class ActorRefBase : IActorRef
{
    public abstract ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender = null);

    public bool Equals(IActorRef? other) =>
        other is not null && Path.Uid == other.Path.Uid && Path.Equals(other.Path);

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => Path.Uid != 0 ? Path.Uid.GetHashCode() : Path.GetHashCode();

    public int CompareTo(IActorRef? other)
    {
        if (other is null) return 1;
        var byPath = Path.CompareTo(other.Path);
        return byPath != 0 ? byPath : Path.Uid.CompareTo(other.Path.Uid);
    }

    public override string ToString() => $"[{Path.ToStringWithUid()}]";
}

/// <summary>The runtime's view of a reference: it can take system messages.</summary>
internal interface IInternalActorRef : IActorRef
{
    ActorSystem? System { get; }

    void SendSystemMessage(SystemMessage message);
}

internal sealed class NobodyRef : ActorRefBase, IInternalActorRef
{
    public static readonly NobodyRef Instance = new();

    private static readonly ActorPath NobodyPath = ActorPath.Root("nobody").Child("nobody");

    public override ActorPath Path => NobodyPath;

    public ActorSystem? System => null;

    public override void Tell(object message, IActorRef? sender = null) => ArgumentNullException.ThrowIfNull(message);

    public void SendSystemMessage(SystemMessage message)
    {
        // Watching nobody: it is already gone.
        if (message is Watch watch && watch.Watcher is IInternalActorRef watcher)
        {
            watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: false));
        }
    }
}
