using Microsoft.Extensions.Logging;

namespace MifActors.Actors;

/// <summary>A behavior: returns false for a message it does not handle.</summary>
public delegate bool Receive(object message);

/// <summary>What an actor can do about itself and its children, from inside its own turn.</summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed; <see cref="ActorRefs.Nobody"/>'s dead letters when none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    ActorSystem System { get; }

    Props Props { get; }

    IEnumerable<IActorRef> Children { get; }

    /// <summary>The receive timeout in force, if any.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Creates a child. Names are unique among living siblings; null picks a fresh one.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The child with that name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Stops a child (or this actor itself): it finishes the message in hand, then stops with its children.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when <paramref name="subject"/> stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Delivers <paramref name="message"/> instead of <see cref="Terminated"/> when the subject stops.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; a Terminated not yet processed is dropped.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behavior.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behavior; <see cref="UnbecomeStacked"/> returns to the one below.</summary>
    void BecomeStacked(Receive receive);

    void UnbecomeStacked();

    /// <summary>Sends <see cref="Actors.ReceiveTimeout"/> when no message arrived for this long; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>A logger whose messages carry this actor's path.</summary>
    ILogger GetLogger();
}
