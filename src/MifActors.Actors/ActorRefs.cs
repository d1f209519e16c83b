using MifActors.Actors.Internal;

namespace MifActors.Actors;

/// <summary>A handle to an actor: the only way to reach it. Safe to share between threads.</summary>
public interface IActorRef : IEquatable<IActorRef>, IComparable<IActorRef>
{
    /// <summary>Where the actor lives, with its incarnation in <see cref="ActorPath.Uid"/>.</summary>
    ActorPath Path { get; }

    /// <summary>
    /// Sends a message, fire and forget. Messages from one sender to one receiver arrive in the order they were
    /// sent, at most once. A message to a stopped actor goes to dead letters. Inside an actor, a null
    /// <paramref name="sender"/> means the actor itself (as in Akka); pass <see cref="ActorRefs.Nobody"/> to send
    /// with no one to reply to.
    /// </summary>
    /// <exception cref="ArgumentNullException">The message is null.</exception>
    void Tell(object message, IActorRef? sender = null);
}

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>The sender to use when there is none: replies go to dead letters.</summary>
    public static readonly IActorRef? NoSender = null;

    /// <summary>A reference to no actor: everything sent to it is dropped.</summary>
    public static readonly IActorRef Nobody = NobodyRef.Instance;
}

/// <summary>Sending helpers every reference has.</summary>
public static class ActorRefExtensions
{
    /// <summary>Sends a message keeping the original sender: the receiver replies to whoever sent it to us.</summary>
    public static void Forward(this IActorRef receiver, object message, IActorContext context) =>
        receiver.Tell(message, context.Sender);

    /// <summary>True unless the reference is <see cref="ActorRefs.Nobody"/> or null.</summary>
    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || actorRef is NobodyRef;
}
