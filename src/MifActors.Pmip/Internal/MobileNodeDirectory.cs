using System.Collections.Concurrent;
using Akka.Actor;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Internal;

/// <summary>
/// The MN actors of one node incarnation, by actor name, readable from any thread: the transport's receive thread
/// sends an MN's signalling straight to its actor when the actor exists, instead of through the node actor. Only the
/// node actor adds (when it makes the child) and removes (when it sees the child terminate).
/// </summary>
internal sealed class MobileNodeDirectory
{
    private readonly ConcurrentDictionary<string, IActorRef> actors = new(StringComparer.Ordinal);

    public IActorRef? Find(MobileNodeIdentifier mobileNode) => actors.GetValueOrDefault(MobileNodeNames.ActorName(mobileNode));

    public void Add(IActorRef actor) => actors[actor.Path.Name] = actor;

    public void Remove(IActorRef actor) => actors.TryRemove(KeyValuePair.Create(actor.Path.Name, actor));
}
