using Microsoft.Extensions.Logging;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Actors.Stash;
using MifActors.Pmip.State;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Transport.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Internal;

/// <summary>
/// What <c>/user/lma</c> and <c>/user/mag</c> have in common: the <c>/transport</c> child, one <c>mn-&lt;id&gt;</c>
/// child per MN, and bringing the node's state back after a restart. On start the node reads every event of all its
/// MNs in one pass (<see cref="IMobilityStateStore.ReplayAllAsync"/>) and hands each to <see cref="OnRecoveryEvent"/>;
/// messages wait in the stash until that pass is over, so nothing acts on half-recovered state.
/// </summary>
internal abstract class MobilityNodeActor : ReceiveActor, IWithStash
{
    private readonly string nodeName;
    private readonly IMobilityStateStore store;
    private readonly Func<IActorRef> transportFactory;
    private readonly MobilityCounters counters;
    private HashSet<string> dormant = [];

    protected MobilityNodeActor(string nodeName, IMobilityStateStore store, IMobilityTransport transport, MobilitySecurityAssociations associations,
        MobilityCounters counters, MobilityHeaderCodecOptions codec)
    {
        this.nodeName = nodeName;
        this.store = store;
        this.counters = counters;
        Log = Context.GetLogger();
        transportFactory = () => Context.ActorOf(
            Props.Create(() => new MobilityTransportActor(transport, associations, counters, codec, DirectRoute)), "transport");
        Receive<GetMobilityCounters>(_ => Sender.Tell(counters.Snapshot()));
        Receive<Terminated>(terminated => Directory.Remove(terminated.ActorRef));
    }

    public IStash Stash { get; set; } = null!;

    protected ILogger Log { get; }

    protected string NodeName => nodeName;

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

    /// <summary>
    /// One event of one MN during the recovery pass, in each MN's order, MN after MN. Runs on the reading thread, not
    /// the actor's: it may touch only what nothing else reads until <see cref="OnRecoveryCompleted"/>.
    /// </summary>
    protected abstract void OnRecoveryEvent(string persistenceId, object @event);

    /// <summary>The pass is over (on the actor's thread): start what must run now.</summary>
    protected abstract void OnRecoveryCompleted();

    /// <summary>The recovery pass: every event of the node's MNs to <see cref="OnRecoveryEvent"/>. A node with snapshots reads those first.</summary>
    protected virtual ValueTask RecoverAsync(string prefix) => store.ReplayAllAsync(prefix, OnRecoveryEvent);

    protected override void PreStart()
    {
        Transport = transportFactory();
        var prefix = MobileNodeNames.PersistencePrefix(nodeName);
        var replay = RecoverAsync(prefix);
        if (replay.IsCompletedSuccessfully)
        {
            // An in-memory store: nothing to wait for, and scenario tests in virtual time see no gap.
            OnRecoveryCompleted();
            return;
        }

        replay.AsTask().PipeTo(Self, success: () => NodeRecovered.Instance, failure: e => new Status.Failure(e));
        BecomeStacked(() =>
        {
            Receive<NodeRecovered>(_ =>
            {
                Context.UnbecomeStacked();
                OnRecoveryCompleted();
                Stash.UnstashAll();
            });
            Receive<Status.Failure>(failure => throw new InvalidOperationException($"{nodeName} cannot read its mobile nodes back from the state store", failure.Cause));
            Receive<GetMobilityCounters>(_ => Sender.Tell(counters.Snapshot()));
            ReceiveAny(_ => Stash.Stash());
        });
    }

    /// <summary>The MN's actor, made if it does not exist yet.</summary>
    protected IActorRef MobileNode(MobileNodeIdentifier mobileNode)
    {
        var name = MobileNodeNames.ActorName(mobileNode);
        var child = Context.Child(name);
        if (!child.IsNobody()) return child;
        var persistenceId = MobileNodeNames.PersistenceId(nodeName, mobileNode);
        if (dormant.Count > 0) dormant.Remove(persistenceId);
        child = Context.ActorOf(MobileNodeProps(mobileNode, persistenceId), name);
        Context.Watch(child);
        Directory.Add(child);
        return child;
    }

    /// <summary>The MN's actor, started if the MN is dormant, else Nobody: for messages that must not create one.</summary>
    protected IActorRef ExistingMobileNode(MobileNodeIdentifier mobileNode)
    {
        var child = Context.Child(MobileNodeNames.ActorName(mobileNode));
        return child.IsNobody() && dormant.Count > 0 && dormant.Contains(MobileNodeNames.PersistenceId(nodeName, mobileNode)) ? MobileNode(mobileNode) : child;
    }

    /// <summary>
    /// MNs the node recovered without starting their actors (their routes are in place already): each starts on the
    /// first message for it, or through <see cref="Wake"/>.
    /// </summary>
    protected void KeepDormant(HashSet<string> persistenceIds) => dormant = persistenceIds;

    /// <summary>Starts a dormant MN's actor; false if it is not dormant (started already, or unknown).</summary>
    protected bool Wake(string persistenceId)
    {
        if (!dormant.Contains(persistenceId) || MobileNodeNames.FromPersistenceId(nodeName, persistenceId) is not { } mobileNode) return false;
        MobileNode(mobileNode);
        return true;
    }

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
