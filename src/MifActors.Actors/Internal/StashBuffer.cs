using MifActors.Actors.Stash;

namespace MifActors.Actors.Internal;

internal sealed class StashBuffer(ActorCell cell) : IStash
{
    private readonly List<Envelope> stashed = [];
    private int lastStashedDelivery;

    public int Count => stashed.Count;

    public void Stash()
    {
        var message = cell.CurrentMessage
            ?? throw new InvalidOperationException($"{cell.Path} can stash only while processing a message");
        // The same delivery, not the same message object: a singleton or interned message sent twice is two messages.
        if (stashed.Count > 0 && lastStashedDelivery == cell.Delivery)
        {
            throw new InvalidOperationException($"{cell.Path} stashed the same {message.GetType().Name} twice");
        }

        stashed.Add(new Envelope(message, cell.CurrentSender));
        lastStashedDelivery = cell.Delivery;
    }

    public void Unstash()
    {
        if (stashed.Count == 0) return;
        var first = stashed[0];
        stashed.RemoveAt(0);
        cell.PrependToMailbox([first]);
    }

    public void UnstashAll() => UnstashAll(static _ => true);

    public void UnstashAll(Func<object, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var returned = new List<Envelope>(stashed.Count);
        foreach (var envelope in stashed)
        {
            if (predicate(envelope.Message!))
            {
                returned.Add(envelope);
            }
            else
            {
                cell.System.PublishDeadLetter(envelope.Message!, envelope.Sender, cell);
            }
        }

        stashed.Clear();
        cell.PrependToMailbox(returned);
    }

    public IReadOnlyList<object> ClearStash()
    {
        var messages = stashed.Select(e => e.Message!).ToList();
        stashed.Clear();
        return messages;
    }

    internal void ReturnAllToMailbox() => UnstashAll();

    internal void DropAllToDeadLetters() => UnstashAll(static _ => false);
}
