using Microsoft.Extensions.Logging;
using MifActors.Actors;
using MifActors.Pmip.Internal;
using MifActors.Pmip.State;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// <c>/user/lma</c>, the MobilityAnchor: owns <c>/transport</c> and <c>/peers</c>, routes signalling and flow
/// notifications to the MN actors, answers heartbeats. Holds no binding state itself. After a restart it reads all its
/// MNs back in one pass into the routing table (<see cref="LmaMobileNodeRecovery"/>) and starts an MN's actor only
/// when the MN needs one.
/// </summary>
internal sealed class LmaActor : MobilityNodeActor, Actors.Timers.IWithTimers
{
    private readonly LmaContext node;
    private readonly LmaMobileNodeRecovery recovery;
    private IActorRef peers = ActorRefs.Nobody;

    public LmaActor(LmaContext node)
        : base(node.Name, node.Store, node.Transport, node.Associations, node.Counters, node.Settings.Codec)
    {
        this.node = node;
        recovery = new LmaMobileNodeRecovery(node.Name, node.Routing, Context.System.TimeProvider.GetUtcNow());
        Receive<MobilityMessageReceived>(OnSignalling);
        Receive<FlowStarted>(m => ToMobileNode(m.MobileNode, m, () => new FlowDecision(m.Flow, FlowDecisionKind.NoBinding, MagAddress.None)));
        Receive<FlowEnded>(m => ToMobileNode(m.MobileNode, m, () => new FlowDecision(m.Flow, FlowDecisionKind.NotForwarded, MagAddress.None)));
        Receive<CeaseFlowForwarding>(m => ToMobileNode(m.MobileNode, m, () => new FlowDecision(m.Flow, FlowDecisionKind.NotForwarded, MagAddress.None)));
        Receive<GetLmaMobileNode>(m => ToMobileNode(m.MobileNode, m, () => new LmaMobileNodeState(m.MobileNode, [], [], [], 0)));
        Receive<MagUnreachable>(m =>
        {
            // Dormant MNs with FFEs through that MAG start first, so the broadcast reaches them too.
            if (recovery.ForwardingThrough.Remove(m.Mag, out var through))
            {
                foreach (var id in through) Wake(id);
            }

            foreach (var child in Context.Children.Where(c => c.Path.Name.StartsWith("mn-", StringComparison.Ordinal))) child.Tell(m);
        });
        Receive<WatchMag>(m => peers.Tell(m));
        Receive<LapsesDue>(_ => OnLapsesDue());
    }

    public Actors.Timers.ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        base.PreStart();
        peers = Context.ActorOf(Props.Create(() => new LmaPeersActor(node.Settings, Transport)), "peers");
    }

    protected override void OnRecoveryEvent(string persistenceId, object @event) => recovery.Add(persistenceId, @event);

    protected override void OnRecoveryCompleted()
    {
        recovery.Complete();
        KeepDormant(recovery.Dormant);
        if (recovery.Dormant.Count > 0)
        {
            Log.LogInformation("{Node} recovered {Count} mobile nodes; {Starting} start now, the rest when needed",
                node.Name, recovery.Dormant.Count, recovery.StartNow.Count);
        }

        // To ourselves: with an in-memory store this runs inside PreStart, before /peers exists.
        foreach (var mag in recovery.Mags) Self.Tell(new WatchMag(mag));
        foreach (var id in recovery.StartNow) Wake(id);
        recovery.StartNow.Clear();
        ArmLapses();
    }

    /// <summary>One timer for all dormant MNs: the next lapse starts its MN, which expires the entry itself.</summary>
    private void ArmLapses()
    {
        if (recovery.Lapses.TryPeek(out _, out var next))
            Timers.StartSingleTimer("lapses", LapsesDue.Instance, TimeSpan.FromTicks(Math.Max(0, (next - Context.System.TimeProvider.GetUtcNow()).Ticks)));
    }

    private void OnLapsesDue()
    {
        var now = Context.System.TimeProvider.GetUtcNow();
        while (recovery.Lapses.TryPeek(out var id, out var at) && at <= now)
        {
            recovery.Lapses.Dequeue();
            Wake(id);
        }

        ArmLapses();
    }

    protected override Props MobileNodeProps(MobileNodeIdentifier mobileNode, string persistenceId) =>
        Props.Create(() => new LmaMobileNodeActor(mobileNode, persistenceId, node.Store, node.Settings, Transport, node.Routing, node.Counters));

    private void OnSignalling(MobilityMessageReceived received)
    {
        peers.Tell(received);
        switch (received.Message)
        {
            case ProxyBindingUpdate { MobileNodeIdentifier: null } pbu:
                Log.LogWarning("Rejected PBU #{Sequence} from {Mag}: it has no MN Identifier option", pbu.SequenceNumber, received.Peer);
                Transport.Tell(new SendMobilityMessage(
                    new ProxyBindingAck(BindingAckStatus.MissingMobileNodeIdentifierOption, BindingAckFlags.ProxyRegistration, pbu.SequenceNumber, 0),
                    received.Peer));
                break;
            case ProxyBindingUpdate pbu:
                MobileNode(pbu.MobileNodeIdentifier!).Forward(received, Context);
                break;
            case FlowHandoverReply { MobileNodeIdentifier: { } mobileNode } when !ExistingMobileNode(mobileNode).IsNobody():
                ExistingMobileNode(mobileNode).Forward(received, Context);
                break;
            case Heartbeat:
                HandledHeartbeat(received);
                break;
            default:
                DropUnexpected(received, "an LMA does not expect it, or it names no MN this LMA serves");
                break;
        }
    }
}

/// <summary>The first lapse among the dormant MNs is due.</summary>
internal sealed record LapsesDue
{
    public static LapsesDue Instance { get; } = new();
}

/// <summary>Everything an LMA's actors share: set up once by <see cref="Lma.Start"/>.</summary>
internal sealed record LmaContext(
    string Name,
    PmipSettings Settings,
    IMobilityTransport Transport,
    MobilitySecurityAssociations Associations,
    IMobilityStateStore Store,
    LmaRoutingTable Routing,
    MobilityCounters Counters);

/// <summary><c>/user/lma/peers</c>: one <see cref="PeerActor"/> per MAG heard from.</summary>
internal sealed class LmaPeersActor : ReceiveActor
{
    public LmaPeersActor(PmipSettings settings, IActorRef transport)
    {
        Receive<MobilityMessageReceived>(m => Peer(new MagAddress(m.Peer)).Tell(m));
        Receive<WatchMag>(m => Peer(m.Mag));
        Receive<MagUnreachable>(m => Context.Parent.Tell(m));

        IActorRef Peer(MagAddress mag)
        {
            var name = mag.Address.ToString();
            var peer = Context.Child(name);
            return peer.IsNobody() ? Context.ActorOf(Props.Create(() => new PeerActor(mag, settings, transport)), name) : peer;
        }
    }
}

/// <summary>
/// <c>/user/lma/peers/&lt;mag&gt;</c>: RFC 5847 heartbeats to one MAG. Every signalling message from the MAG counts as
/// a sign of life; after <c>heartbeat-missed-limit</c> intervals without one the MAG is declared unreachable.
/// </summary>
internal sealed class PeerActor : ReceiveActor, Actors.Timers.IWithTimers
{
    private readonly MagAddress mag;
    private readonly PmipSettings settings;
    private readonly IActorRef transport;
    private readonly ILogger log;
    private uint sequence;
    private int missed;
    private bool heard;
    private bool unreachable;

    public PeerActor(MagAddress mag, PmipSettings settings, IActorRef transport)
    {
        this.mag = mag;
        this.settings = settings;
        this.transport = transport;
        log = Context.GetLogger();
        Receive<MobilityMessageReceived>(_ =>
        {
            heard = true;
            missed = 0;
            if (!unreachable) return;
            unreachable = false;
            log.LogInformation("{Mag} is reachable again", mag);
        });
        Receive<Tick>(_ => OnTick());
    }

    public Actors.Timers.ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("heartbeat", Tick.Instance, settings.HeartbeatInterval);

    private void OnTick()
    {
        if (!heard && !unreachable && ++missed >= settings.HeartbeatMissedLimit)
        {
            unreachable = true;
            log.LogWarning("{Mag} missed {Missed} heartbeats; declaring it unreachable", mag, missed);
            Context.Parent.Tell(new MagUnreachable(mag));
        }

        heard = false;
        transport.Tell(new SendMobilityMessage(new Heartbeat(false, false, ++sequence), mag.Address));
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }
}

/// <summary>Start heartbeats to a MAG now (after recovery), rather than when it next speaks.</summary>
internal sealed record WatchMag(MagAddress Mag);
