using MifActors.Actors.Internal;

namespace MifActors.Actors.Event;

/// <summary>
/// Publish/subscribe inside one actor system. Subscribers are actors; a subscription to a type receives every
/// published event assignable to it (a subscription to <c>object</c> receives everything).
/// </summary>
public sealed class EventStream
{
    private readonly object gate = new();
    private Subscription[] subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to events of <paramref name="channel"/>; false if it already was.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (gate)
        {
            if (Array.Exists(subscriptions, s => s.Subscriber.Equals(subscriber) && s.Channel == channel)) return false;
            subscriptions = [.. subscriptions, new Subscription(subscriber, channel)];
            return true;
        }
    }

    public bool Subscribe<T>(IActorRef subscriber) => Subscribe(subscriber, typeof(T));

    /// <summary>Removes one subscription; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (gate)
        {
            var kept = Array.FindAll(subscriptions, s => !(s.Subscriber.Equals(subscriber) && s.Channel == channel));
            var removed = kept.Length != subscriptions.Length;
            subscriptions = kept;
            return removed;
        }
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>.</summary>
    public void Unsubscribe(IActorRef subscriber)
    {
        lock (gate)
        {
            subscriptions = Array.FindAll(subscriptions, s => !s.Subscriber.Equals(subscriber));
        }
    }

    /// <summary>Sends <paramref name="event"/> to every subscriber of a type it is assignable to, once each.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var current = Volatile.Read(ref subscriptions);
        if (current.Length == 0) return;
        var type = @event.GetType();
        IActorRef? first = null;
        HashSet<IActorRef>? sent = null;
        foreach (var subscription in current)
        {
            if (!subscription.Channel.IsAssignableFrom(type)) continue;
            var subscriber = subscription.Subscriber;
            if (subscriber is ActorCell { IsMailboxClosed: true })
            {
                // A subscriber that stopped leaves the stream instead of turning every event into a dead letter.
                Unsubscribe(subscriber);
                continue;
            }

            if (first is null)
            {
                first = subscriber;
            }
            else if (subscriber.Equals(first) || !(sent ??= [first]).Add(subscriber))
            {
                continue;
            }

            subscriber.Tell(@event);
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type Channel);
}
