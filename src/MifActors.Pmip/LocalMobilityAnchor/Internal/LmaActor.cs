using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using Akka.Event;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// <c>/user/lma</c>, the MobilityAnchor: owns <c>/transport</c> and <c>/peers</c>, routes signalling and flow
/// notifications to the MN actors, answers heartbeats. Holds no binding state itself: each MN actor writes its BCEs
/// and FFEs into the shared routing table as it applies its events, recovery included.
/// </summary>
internal sealed class LmaActor : MobilityNodeActor
{
    private readonly LmaContext node;
    private readonly MagLiveness liveness = new();
    private IActorRef peers = ActorRefs.Nobody;

    public LmaActor(LmaContext node)
        : base(node.Name, node.Settings, node.Transport, node.Associations, node.Counters)
    {
        this.node = node;
        Receive<MobilityMessageReceived>(OnSignalling);
        Receive<FlowStarted>(m => ToMobileNode(m.MobileNode, m, () => new FlowDecision(m.Flow, FlowDecisionKind.NoBinding, MagAddress.None)));
        Receive<FlowEnded>(m => ToMobileNode(m.MobileNode, m, () => new FlowDecision(m.Flow, FlowDecisionKind.NotForwarded, MagAddress.None)));
        Receive<CeaseFlowForwarding>(m => ToMobileNode(m.MobileNode, m, () => new FlowDecision(m.Flow, FlowDecisionKind.NotForwarded, MagAddress.None)));
        Receive<GetLmaMobileNode>(m => ToMobileNode(m.MobileNode, m, () => new LmaMobileNodeState(m.MobileNode, [], [], [], 0)));
        Receive<MagUnreachable>(m =>
        {
            foreach (var child in MobileNodes) child.Tell(m);
        });
        Receive<WatchMag>(m => peers.Tell(m));
    }

    protected override void PreStart()
    {
        base.PreStart();
        peers = Context.ActorOf(Props.Create(() => new LmaPeersActor(node.Settings, Transport, liveness)), "peers");
    }

    /// <summary>
    /// Counts every message as a sign of life from its MAG; the first one from a MAG comes here so heartbeats to it
    /// start. A PBU or FHRP for an MN that has an actor goes straight to it.
    /// </summary>
    protected override IActorRef? DirectRoute(MobilityMessageReceived received)
    {
        if (liveness.Heard(received.Peer)) return null;
        return received.Message switch
        {
            ProxyBindingUpdate { MobileNodeIdentifier: { } mobileNode } => Directory.Find(mobileNode),
            FlowHandoverReply { MobileNodeIdentifier: { } mobileNode } => Directory.Find(mobileNode),
            _ => null,
        };
    }

    protected override Props MobileNodeProps(MobileNodeIdentifier mobileNode, string persistenceId) =>
        Props.Create(() => new LmaMobileNodeActor(mobileNode, persistenceId, node, Transport));

    private void OnSignalling(MobilityMessageReceived received)
    {
        peers.Tell(new WatchMag(new MagAddress(received.Peer)));
        switch (received.Message)
        {
            case ProxyBindingUpdate { MobileNodeIdentifier: null } pbu:
                Log.Warning("Rejected PBU #{0} from {1}: it has no MN Identifier option", pbu.SequenceNumber, received.Peer);
                Transport.Tell(new SendMobilityMessage(
                    new ProxyBindingAck(BindingAckStatus.MissingMobileNodeIdentifierOption, BindingAckFlags.ProxyRegistration, pbu.SequenceNumber, 0),
                    received.Peer));
                break;
            case ProxyBindingUpdate pbu:
                MobileNode(pbu.MobileNodeIdentifier!).Forward(received);
                break;
            case FlowHandoverReply { MobileNodeIdentifier: { } mobileNode } when !ExistingMobileNode(mobileNode).IsNobody():
                ExistingMobileNode(mobileNode).Forward(received);
                break;
            case FlowHandoverReply { MobileNodeIdentifier: null, Unsolicited: false } reply:
                OnAnonymousReply(received, reply);
                break;
            case Heartbeat:
                HandledHeartbeat(received);
                break;
            default:
                DropUnexpected(received, "an LMA does not expect it, or it names no MN this LMA serves");
                break;
        }
    }

    /// <summary>
    /// An FHRP without an MN-ID (allowed when its status is not 0, draft §4.2): the MN is the one whose FHRQ with that
    /// sequence number waits for this MAG's answer.
    /// </summary>
    private void OnAnonymousReply(MobilityMessageReceived received, FlowHandoverReply reply)
    {
        var waiting = node.Outstanding.Waiting(new MagAddress(received.Peer), reply.SequenceNumber);
        switch (waiting.Count)
        {
            case 1 when !ExistingMobileNode(waiting[0]).IsNobody():
                ExistingMobileNode(waiting[0]).Forward(received);
                break;
            case 0 or 1:
                DropUnexpected(received, $"it names no MN, and no FHRQ #{reply.SequenceNumber} to that MAG waits for an answer");
                break;
            default:
                DropUnexpected(received, $"it names no MN, and FHRQs #{reply.SequenceNumber} of {waiting.Count} MNs wait for that MAG: "
                    + "it cannot say whose it is; their FHRQs are sent again");
                break;
        }
    }
}

/// <summary>Everything an LMA's actors share: set up once when an <see cref="Lma"/> starts.</summary>
internal sealed record LmaContext(
    string Name,
    PmipSettings Settings,
    IMobilityTransport Transport,
    MobilitySecurityAssociations Associations,
    LmaRoutingTable Routing,
    OutstandingRequests Outstanding,
    MobilityCounters Counters);

/// <summary><c>/user/lma/peers</c>: one <see cref="PeerActor"/> per MAG heard from.</summary>
internal sealed class LmaPeersActor : ReceiveActor
{
    public LmaPeersActor(PmipSettings settings, IActorRef transport, MagLiveness liveness)
    {
        Receive<WatchMag>(m => Peer(m.Mag));
        Receive<MagUnreachable>(m => Context.Parent.Tell(m));

        IActorRef Peer(MagAddress mag)
        {
            var name = mag.Address.ToString();
            var peer = Context.Child(name);
            return peer.IsNobody() ? Context.ActorOf(Props.Create(() => new PeerActor(mag, settings, transport, liveness)), name) : peer;
        }
    }
}

/// <summary>
/// <c>/user/lma/peers/&lt;mag&gt;</c>: RFC 5847 heartbeats to one MAG. Every signalling message from the MAG counts as
/// a sign of life (in <see cref="MagLiveness"/>, read at each tick); after <c>heartbeat-missed-limit</c> intervals
/// without one the MAG is declared unreachable.
/// </summary>
internal sealed class PeerActor : ReceiveActor, IWithTimers
{
    private readonly MagAddress mag;
    private readonly PmipSettings settings;
    private readonly IActorRef transport;
    private readonly MagLiveness liveness;
    private readonly ILoggingAdapter log;
    private uint sequence;
    private int missed;
    private long heardSoFar;
    private bool unreachable;

    public PeerActor(MagAddress mag, PmipSettings settings, IActorRef transport, MagLiveness liveness)
    {
        this.mag = mag;
        this.settings = settings;
        this.transport = transport;
        this.liveness = liveness;
        log = Context.GetLogger();
        Receive<Tick>(_ => OnTick());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("heartbeat", Tick.Instance, settings.HeartbeatInterval);

    private void OnTick()
    {
        var count = liveness.Count(mag.Address);
        var heard = count != heardSoFar;
        heardSoFar = count;
        if (heard)
        {
            missed = 0;
            if (unreachable)
            {
                unreachable = false;
                log.Info("{0} is reachable again", mag);
            }
        }
        else if (!unreachable && ++missed >= settings.HeartbeatMissedLimit)
        {
            unreachable = true;
            log.Warning("{0} missed {1} heartbeats; declaring it unreachable", mag, missed);
            Context.Parent.Tell(new MagUnreachable(mag));
        }

        transport.Tell(new SendMobilityMessage(new Heartbeat(false, false, ++sequence), mag.Address));
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }
}

/// <summary>Start heartbeats to a MAG now (after recovery, or when it first speaks); nothing if they run already.</summary>
internal sealed record WatchMag(MagAddress Mag);

/// <summary>
/// How many messages each MAG has sent so far, counted on the transport's receive thread: a sign of life costs one
/// atomic increment instead of two mailbox hops, and each <see cref="PeerActor"/> reads its MAG's count once a tick.
/// </summary>
internal sealed class MagLiveness
{
    private readonly ConcurrentDictionary<IPAddress, Counter> heard = new();

    /// <summary>Counts a message from <paramref name="mag"/>; true if it is the first one heard from it.</summary>
    public bool Heard(IPAddress mag)
    {
        if (heard.TryGetValue(mag, out var box))
        {
            Interlocked.Increment(ref box.Count);
            return false;
        }

        var added = new Counter();
        box = heard.GetOrAdd(mag, added);
        Interlocked.Increment(ref box.Count);
        return ReferenceEquals(box, added);
    }

    public long Count(IPAddress mag) => heard.TryGetValue(mag, out var box) ? Interlocked.Read(ref box.Count) : 0;

    private sealed class Counter
    {
        public long Count;
    }
}
