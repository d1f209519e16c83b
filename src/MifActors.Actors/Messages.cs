namespace MifActors.Actors;

/// <summary>Messages the runtime handles itself before the actor sees them.</summary>
public interface IAutoReceivedMessage;

/// <summary>A message that does not restart the receive-timeout clock.</summary>
public interface INotInfluenceReceiveTimeout;

/// <summary>Stops the actor once it reaches this message: everything sent before it is processed first.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }

    public override string ToString() => "PoisonPill";
}

/// <summary>Makes the actor fail with <see cref="ActorKilledException"/>; the default strategy stops it.</summary>
public sealed class Kill : IAutoReceivedMessage
{
    public static readonly Kill Instance = new();

    private Kill()
    {
    }

    public override string ToString() => "Kill";
}

/// <summary>Delivered to a watcher when an actor it watches has stopped.</summary>
public sealed record Terminated(IActorRef ActorRef) : IAutoReceivedMessage;

/// <summary>Delivered when no message arrived for <see cref="IActorContext.ReceiveTimeout"/>.</summary>
public sealed class ReceiveTimeout : INotInfluenceReceiveTimeout
{
    public static readonly ReceiveTimeout Instance = new();

    private ReceiveTimeout()
    {
    }

    public override string ToString() => "ReceiveTimeout";
}

/// <summary>The outcome of an operation, sent as a reply (and what Ask and PipeTo use for failures).</summary>
public abstract record Status
{
    private Status()
    {
    }

    public sealed record Success(object? Result) : Status;

    public sealed record Failure(Exception Cause) : Status;
}

/// <summary>A message no living actor received, published on the event stream.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>A message an actor did not handle, published on the event stream.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);
