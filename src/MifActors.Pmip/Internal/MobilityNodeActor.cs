using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Transport.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Internal;

/// <summary>
/// What <c>/user/lma</c> and <c>/user/mag</c> have in common: the <c>/transport</c> child, one <c>mn-&lt;id&gt;</c>
/// child per MN (a persistent actor whose state is its own events), death watch over them, and bringing them back
/// after a restart. On start the node asks the read journal (<c>persistence.query-plugin</c>) for the persistence ids
/// under its prefix and starts the actor of every MN it finds, so each recovers its own BCEs, FFEs and timers; other
/// messages wait in the stash until then. An MN actor that stops on its own (Akka.Persistence stops one whose write
/// or recovery failed) is started again after <c>persistence.restart-delay</c>, so FHRQs in flight resume.
/// </summary>
internal abstract class MobilityNodeActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly string nodeName;
    private readonly PmipSettings settings;
    private readonly Func<IActorRef> transportFactory;
    private readonly MobilityCounters counters;
    private readonly Dictionary<string, MobileNodeIdentifier> mobileNodes = new(StringComparer.Ordinal);

    protected MobilityNodeActor(string nodeName, PmipSettings settings, IMobilityTransport transport, MobilitySecurityAssociations associations,
        MobilityCounters counters)
    {
        this.nodeName = nodeName;
        this.settings = settings;
        this.counters = counters;
        Log = Context.GetLogger();
        transportFactory = () => Context.ActorOf(
            Props.Create(() => new MobilityTransportActor(transport, associations, counters, settings.Codec, DirectRoute)), "transport");
        // Through the transport actor: an answer means every send the node asked for before has left.
        Receive<GetMobilityCounters>(m => Transport.Forward(m));
        Receive<Terminated>(OnTerminated);
        Receive<RestartMobileNode>(m => MobileNode(m.MobileNode));
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    protected ILoggingAdapter Log { get; }

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

    /// <summary>Every MN the journal knows has its actor: start what must run now.</summary>
    protected virtual void OnStarted()
    {
    }

    protected override void PreStart()
    {
        Transport = transportFactory();
        var prefix = MobileNodeNames.PersistencePrefix(nodeName);
        KnownMobileNodesAsync(Context.System, settings, prefix)
            .PipeTo(Self, success: ids => new MobileNodesFound(ids), failure: e => new Status.Failure(e));
        BecomeStacked(() =>
        {
            Receive<MobileNodesFound>(found =>
            {
                Context.UnbecomeStacked();
                foreach (var id in found.PersistenceIds)
                {
                    if (MobileNodeNames.FromPersistenceId(nodeName, id) is { } mobileNode) MobileNode(mobileNode);
                    else Log.Warning("{0}: the journal holds persistence id \"{1}\", which names no MN; skipped", nodeName, id);
                }

                Log.Info("{0} found {1} mobile nodes in the journal; each recovers its own state", nodeName, found.PersistenceIds.Count);
                OnStarted();
                Stash.UnstashAll();
            });
            Receive<Status.Failure>(failure => throw new InvalidOperationException(
                $"{nodeName} cannot list its mobile nodes through the read journal {settings.QueryPlugin}", failure.Cause));
            Receive<GetMobilityCounters>(_ => Sender.Tell(counters.Snapshot()));
            ReceiveAny(_ => Stash.Stash());
        });
    }

    /// <summary>
    /// The persistence ids under <paramref name="prefix"/>, from the read journal. The SQL read journal blocks its
    /// caller until the write journal has started (creating its tables on first use can take seconds), and several
    /// nodes of one system would each hold a pool thread meanwhile; so the write journal is asked first, without
    /// blocking: it answers only once it has started.
    /// </summary>
    private static Task<IReadOnlyList<string>> KnownMobileNodesAsync(ActorSystem system, PmipSettings settings, string prefix) => Task.Run(async () =>
    {
        await Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(settings.JournalPlugin)
            .Ask<object>(replyTo => new ReplayMessages(0, 0, 0, prefix, replyTo), timeout: null, CancellationToken.None).ConfigureAwait(false);
        var journal = PersistenceQuery.Get(system).ReadJournalFor<ICurrentPersistenceIdsQuery>(settings.QueryPlugin);
        var materializer = ActorMaterializer.Create(system);
        try
        {
            var ids = await journal.CurrentPersistenceIds()
                .Where(id => id.StartsWith(prefix, StringComparison.Ordinal))
                .RunWith(Sink.Seq<string>(), materializer).ConfigureAwait(false);
            return (IReadOnlyList<string>)ids;
        }
        finally
        {
            materializer.Dispose();
        }
    });

    /// <summary>The MN's actor, made if it does not exist yet.</summary>
    protected IActorRef MobileNode(MobileNodeIdentifier mobileNode)
    {
        var name = MobileNodeNames.ActorName(mobileNode);
        var child = Context.Child(name);
        if (!child.IsNobody()) return child;
        Timers.Cancel(("restart", name));
        child = Context.ActorOf(MobileNodeProps(mobileNode, MobileNodeNames.PersistenceId(nodeName, mobileNode)), name);
        Context.Watch(child);
        Directory.Add(child);
        mobileNodes[name] = mobileNode;
        return child;
    }

    /// <summary>The MN's actor, or Nobody: for messages that must not create one.</summary>
    protected IActorRef ExistingMobileNode(MobileNodeIdentifier mobileNode) => Context.Child(MobileNodeNames.ActorName(mobileNode));

    /// <summary>The MN actors running now.</summary>
    protected IEnumerable<IActorRef> MobileNodes => Context.GetChildren().Where(c => c.Path.Name.StartsWith("mn-", StringComparison.Ordinal));

    private void OnTerminated(Terminated terminated)
    {
        Directory.Remove(terminated.ActorRef);
        var name = terminated.ActorRef.Path.Name;
        if (!mobileNodes.TryGetValue(name, out var mobileNode)) return;
        // The node never stops an MN actor itself: one that stopped lost a write or its recovery (logged by Akka.Persistence).
        Log.Warning("{0}: the actor of {1} stopped; starting it again in {2} ms to recover from the journal",
            nodeName, mobileNode, settings.RestartDelay.TotalMilliseconds);
        Timers.StartSingleTimer(("restart", name), new RestartMobileNode(mobileNode), settings.RestartDelay);
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
        Log.Warning("Dropped {0} from {1}: {2}", received.Message.GetType().Name, received.Peer, why);
    }

    /// <summary>Sends to the MN's actor if it exists, else answers the sender with <paramref name="otherwise"/>.</summary>
    protected void ToMobileNode(MobileNodeIdentifier mobileNode, object message, Func<object> otherwise)
    {
        var child = ExistingMobileNode(mobileNode);
        if (child.IsNobody()) Sender.Tell(otherwise());
        else child.Forward(message);
    }

    private sealed record MobileNodesFound(IReadOnlyList<string> PersistenceIds);

    private sealed record RestartMobileNode(MobileNodeIdentifier MobileNode);
}
