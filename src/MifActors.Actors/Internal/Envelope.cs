namespace MifActors.Actors.Internal;

/// <summary>A user message with its sender, as it sits in a mailbox.</summary>
internal struct Envelope(object message, IActorRef? sender)
{
    public object? Message = message;

    public IActorRef? Sender = sender;
}
