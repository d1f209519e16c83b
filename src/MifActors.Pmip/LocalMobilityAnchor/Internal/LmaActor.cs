using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using MifActors.Actors;
using MifActors.Actors.Pattern;
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
    private readonly MagLiveness liveness = new();
    private readonly LmaMobileNodeRecovery recovery;
    private IActorRef peers = ActorRefs.Nobody;
    private long snapshotPosition;
    private bool snapshotting;

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
        Receive<SnapshotDue>(_ => OnSnapshotDue());
        Receive<SnapshotWritten>(m =>
        {
            snapshotting = false;
            if (m.Position is not { } position) return;
            snapshotPosition = position;
            Log.LogInformation("{Node} wrote a node snapshot at journal position {Position}", node.Name, position);
        });
        Receive<SnapshotFailed>(m =>
        {
            // The older snapshot stays, so nothing is lost: the next check tries again.
            snapshotting = false;
            Log.LogWarning(m.Cause, "{Node} could not write a node snapshot", node.Name);
        });
    }

    public Actors.Timers.ITimerScheduler Timers { get; set; } = null!;

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

    protected override void OnRecoveryEvent(string persistenceId, object @event) => recovery.Add(persistenceId, @event);

    protected override async ValueTask RecoverAsync(string prefix) =>
        snapshotPosition = await LmaNodeRecovery.RecoverAsync(node.Store, node.Name, recovery, Log).ConfigureAwait(false);

    /// <summary>Starts a snapshot off this thread when enough events came since the last one; one at a time.</summary>
    private void OnSnapshotDue()
    {
        if (snapshotting) return;
        snapshotting = true;
        // On the pool from the start: a store that answers at once would otherwise run the whole fold on this thread.
        var (store, name, after, position, log) = (node.Store, node.Name, node.Settings.LmaSnapshotAfterEvents, snapshotPosition, Log);
        Task.Run(() => LmaNodeRecovery.TakeSnapshotAsync(store, name, position, after, log))
            .PipeTo(Self, success: position => new SnapshotWritten(position), failure: e => new SnapshotFailed(e));
    }

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
        if (node.Settings.LmaSnapshotInterval > TimeSpan.Zero)
            Timers.StartPeriodicTimer("snapshot", SnapshotDue.Instance, node.Settings.LmaSnapshotInterval);
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
        peers.Tell(new WatchMag(new MagAddress(received.Peer)));
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

/// <summary>Time to consider a node snapshot.</summary>
internal sealed record SnapshotDue
{
    public static SnapshotDue Instance { get; } = new();
}

/// <summary>A snapshot attempt ended: written at <paramref name="Position"/>, or skipped (null) for too few new events.</summary>
internal sealed record SnapshotWritten(long? Position);

/// <summary>A snapshot attempt failed; the older snapshot still stands.</summary>
internal sealed record SnapshotFailed(Exception Cause);

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
internal sealed class PeerActor : ReceiveActor, Actors.Timers.IWithTimers
{
    private readonly MagAddress mag;
    private readonly PmipSettings settings;
    private readonly IActorRef transport;
    private readonly MagLiveness liveness;
    private readonly ILogger log;
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

    public Actors.Timers.ITimerScheduler Timers { get; set; } = null!;

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
                log.LogInformation("{Mag} is reachable again", mag);
            }
        }
        else if (!unreachable && ++missed >= settings.HeartbeatMissedLimit)
        {
            unreachable = true;
            log.LogWarning("{Mag} missed {Missed} heartbeats; declaring it unreachable", mag, missed);
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
