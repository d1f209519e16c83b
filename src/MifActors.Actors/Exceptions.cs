namespace MifActors.Actors;

/// <summary>Base of the runtime's own exceptions.</summary>
public class ActorException : Exception
{
    public ActorException(string message)
        : base(message)
    {
    }

    public ActorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The actor's constructor or <c>PreStart</c> threw: the default strategy stops it rather than loop.</summary>
public sealed class ActorInitializationException(IActorRef? actor, string message, Exception? cause)
    : ActorException(message, cause)
{
    public IActorRef? Actor { get; } = actor;
}

/// <summary>The actor received <see cref="Kill"/>.</summary>
public sealed class ActorKilledException(string message) : ActorException(message);

/// <summary>An actor did not handle the <see cref="Terminated"/> of an actor it watched.</summary>
public sealed class DeathPactException(IActorRef deadActor)
    : ActorException($"Monitored actor {deadActor} terminated and the watcher did not handle Terminated")
{
    public IActorRef DeadActor { get; } = deadActor;
}

/// <summary>An actor name was empty, malformed or already taken.</summary>
public sealed class InvalidActorNameException(string message) : ActorException(message);

/// <summary>An Ask got no reply in time.</summary>
public sealed class AskTimeoutException(string message) : TimeoutException(message);

/// <summary>An actor was used outside of its rules, e.g. created with <c>new</c> rather than <c>ActorOf</c>.</summary>
public sealed class ActorNotCreatedProperlyException(string message) : ActorException(message);
