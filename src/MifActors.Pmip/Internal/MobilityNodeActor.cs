using Microsoft.Extensions.Logging;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Pmip.State;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Transport.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Internal;

/// <summary>
/// What <c>/user/lma</c> and <c>/user/mag</c> have in common: the <c>/transport</c> child, one <c>mn-&lt;id&gt;</c>
/// child per MN, and bringing those children back after a restart. Each MN actor recovers its own state; this only
/// starts the ones the store knows. Signalling that arrives first creates its MN actor as usual.
/// </summary>
internal abstract class MobilityNodeActor : ReceiveActor
{
    private readonly string nodeName;
    private readonly IMobilityStateStore store;
    private readonly Func<IActorRef> transportFactory;
    private readonly MobilityCounters counters;

    protected MobilityNodeActor(string nodeName, IMobilityStateStore store, IMobilityTransport transport, MobilitySecurityAssociations associations,
        MobilityCounters counters, MobilityHeaderCodecOptions codec)
    {
        this.nodeName = nodeName;
        this.store = store;
        this.counters = counters;
        Log = Context.GetLogger();
        transportFactory = () => Context.ActorOf(
            Props.Create(() => new MobilityTransportActor(transport, associations, counters, codec, DirectRoute)), "transport");
        Receive<RecoverMobileNodes>(recover =>
        {
            foreach (var id in recover.PersistenceIds)
            {
                if (MobileNodeNames.FromPersistenceId(nodeName, id) is { } mobileNode) MobileNode(mobileNode);
            }

            if (recover.PersistenceIds.Count > 0) Log.LogInformation("{Node} recovering {Count} mobile nodes", nodeName, recover.PersistenceIds.Count);
        });
        Receive<Status.Failure>(failure => throw new InvalidOperationException("the state store cannot list the mobile nodes to recover", failure.Cause));
        Receive<GetMobilityCounters>(_ => Sender.Tell(counters.Snapshot()));
        Receive<Terminated>(terminated => Directory.Remove(terminated.ActorRef));
    }

    protected ILogger Log { get; }

    protected IActorRef Transport { get; private set; } = ActorRefs.Nobody;

    /// <summary>This incarnation's MN actors: a restarted node actor starts a new directory along with new children.</summary>
    protected MobileNodeDirectory Directory { get; } = new();

    /// <summary>
    /// Runs on the transport's receive thread for every accepted message: the MN actor to send it to directly, or
    /// null to send it to this node actor. Must be thread-safe and touch no actor state. A message for an MN whose
    /// actor this node is making at that moment can overtake the one that made it; UDP may reorder them as well, and
    /// the protocol's sequence numbers and timestamps already cope.
    /// </summary>
    protected abstract IActorRef? DirectRoute(MobilityMessageReceived received);

    /// <summary>How to make the actor of one MN, under its persistence id.</summary>
    protected abstract Props MobileNodeProps(MobileNodeIdentifier mobileNode, string persistenceId);

    protected override void PreStart()
    {
        Transport = transportFactory();
        store.PersistenceIdsAsync(MobileNodeNames.PersistencePrefix(nodeName)).AsTask()
            .PipeTo(Self, success: ids => new RecoverMobileNodes(ids), failure: e => new Status.Failure(e));
    }

    /// <summary>The MN's actor, made if it does not exist yet.</summary>
    protected IActorRef MobileNode(MobileNodeIdentifier mobileNode)
    {
        var name = MobileNodeNames.ActorName(mobileNode);
        var child = Context.Child(name);
        if (!child.IsNobody()) return child;
        child = Context.ActorOf(MobileNodeProps(mobileNode, MobileNodeNames.PersistenceId(nodeName, mobileNode)), name);
        Context.Watch(child);
        Directory.Add(child);
        return child;
    }

    /// <summary>The MN's actor, or Nobody: for messages that must not create one.</summary>
    protected IActorRef ExistingMobileNode(MobileNodeIdentifier mobileNode) => Context.Child(MobileNodeNames.ActorName(mobileNode));

    /// <summary>Answers a heartbeat request (RFC 5847 §5.2) with the same sequence number; true for any heartbeat.</summary>
    protected bool HandledHeartbeat(MobilityMessageReceived received)
    {
        if (received.Message is not Heartbeat heartbeat) return false;
        if (!heartbeat.Response) Transport.Tell(new SendMobilityMessage(new Heartbeat(false, true, heartbeat.SequenceNumber), received.Peer));
        return true;
    }

    /// <summary>Counts and logs an authentic message this node has no use for.</summary>
    protected void DropUnexpected(MobilityMessageReceived received, string why)
    {
        counters.CountUnexpected();
        Log.LogWarning("Dropped {Message} from {Peer}: {Reason}", received.Message.GetType().Name, received.Peer, why);
    }

    /// <summary>Sends to the MN's actor if it exists, else answers the sender with <paramref name="otherwise"/>.</summary>
    protected void ToMobileNode(MobileNodeIdentifier mobileNode, object message, Func<object> otherwise)
    {
        var child = ExistingMobileNode(mobileNode);
        if (child.IsNobody()) Sender.Tell(otherwise());
        else child.Forward(message, Context);
    }
}
