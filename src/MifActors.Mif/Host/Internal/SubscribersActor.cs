using Akka.Actor;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// /user/host/subscribers: the parent of every subscriber actor. The host agent's announcements and per-subscriber
/// messages pass through it, so each subscriber sees them in the order the host agent sent them. A subscriber that
/// throws is resumed (its flags are its whole value); one that stops (its application terminated) is reported to the
/// host agent, which forgets it.
/// </summary>
internal sealed class SubscribersActor : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _subscribers = new();
    private readonly IActorRef _connections;

    public static Props Props(IActorRef connections) => Akka.Actor.Props.Create(() => new SubscribersActor(connections));

    public SubscribersActor(IActorRef connections)
    {
        _connections = connections;

        Receive<CreateSubscriber>(create =>
        {
            var subscriber = Context.ActorOf(SubscriberActor.Props(create.Application, _connections), create.SubscriberId);
            Context.Watch(subscriber);
            _subscribers.Add(create.SubscriberId, subscriber);
        });
        Receive<Deliver>(deliver =>
        {
            if (_subscribers.TryGetValue(deliver.SubscriberId, out var subscriber))
            {
                subscriber.Tell(deliver.Message);
            }
        });
        Receive<Broadcast>(broadcast =>
        {
            foreach (var subscriber in _subscribers.Values)
            {
                subscriber.Tell(broadcast);
            }
        });
        Receive<Terminated>(terminated =>
        {
            var id = terminated.ActorRef.Path.Name;
            if (_subscribers.Remove(id))
            {
                Context.Parent.Tell(new SubscriberGone(id));
            }
        });
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Resume);
}
