using System.Net;
using Microsoft.Extensions.Logging;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Pmip.Internal;
using MifActors.Pmip.State;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Transport.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway.Internal;

/// <summary>Everything a MAG's actors share: set up once by <see cref="Mag.Start"/>.</summary>
internal sealed record MagContext(
    string Name,
    PmipSettings Settings,
    IMobilityTransport Transport,
    MobilitySecurityAssociations Associations,
    IMobilityStateStore Store,
    IPAddress Lma,
    AccessTechnologyType AccessTechnology,
    MagAdmission Admission,
    MobilityCounters Counters);

/// <summary>
/// <c>/user/mag</c>: owns <c>/transport</c>, routes attach events and signalling from its LMA to the MN actors, and
/// answers the LMA's heartbeats (RFC 5847). After a restart it brings back every MN actor the store knows.
/// </summary>
internal sealed class MagActor : ReceiveActor
{
    private readonly MagContext node;
    private readonly ILogger log;
    private IActorRef transport = ActorRefs.Nobody;

    public MagActor(MagContext node)
    {
        this.node = node;
        log = Context.GetLogger();
        Receive<RecoverMobileNodes>(recover =>
        {
            foreach (var id in recover.PersistenceIds)
            {
                if (MobileNodeNames.FromPersistenceId(node.Name, id) is { } mobileNode) MobileNode(mobileNode);
            }

            if (recover.PersistenceIds.Count > 0) log.LogInformation("MAG {Name} recovering {Count} mobile nodes", node.Name, recover.PersistenceIds.Count);
        });
        Receive<Status.Failure>(failure => throw new InvalidOperationException("the state store cannot list the mobile nodes to recover", failure.Cause));
        Receive<MobileNodeAttached>(m => MobileNode(m.MobileNode).Forward(m, Context));
        Receive<MobileNodeDetached>(m => Context.Child(MobileNodeNames.ActorName(m.MobileNode)).Tell(m, Sender));
        Receive<GetMagMobileNode>(m =>
        {
            var child = Context.Child(MobileNodeNames.ActorName(m.MobileNode));
            if (child.IsNobody()) Sender.Tell(new MagMobileNodeState(m.MobileNode, null, [], null, null, 0));
            else child.Forward(m, Context);
        });
        Receive<MobilityMessageReceived>(OnSignalling);
        Receive<GetMobilityCounters>(_ => Sender.Tell(node.Counters.Snapshot()));
    }

    protected override void PreStart()
    {
        transport = Context.ActorOf(Props.Create(() => new MobilityTransportActor(node.Transport, node.Associations, node.Counters, node.Settings.Codec)), "transport");
        // The MN actors recover their own state; this only brings back the ones the store knows. Signalling that
        // arrives first creates its MN actor as usual, and the list finds it there.
        node.Store.PersistenceIdsAsync(MobileNodeNames.PersistencePrefix(node.Name)).AsTask()
            .PipeTo(Self, success: ids => new RecoverMobileNodes(ids), failure: e => new Status.Failure(e));
    }

    private void OnSignalling(MobilityMessageReceived received)
    {
        if (!received.Peer.Equals(node.Lma))
        {
            node.Counters.CountUnexpected();
            log.LogWarning("Dropped {Message} from {Peer}: this MAG's LMA is {Lma}", received.Message.GetType().Name, received.Peer, node.Lma);
            return;
        }

        switch (received.Message)
        {
            case ProxyBindingAck { MobileNodeIdentifier: { } mobileNode } when !Context.Child(MobileNodeNames.ActorName(mobileNode)).IsNobody():
                Context.Child(MobileNodeNames.ActorName(mobileNode)).Forward(received, Context);
                break;
            case FlowHandoverRequest request:
                MobileNode(request.MobileNodeIdentifier).Forward(received, Context);
                break;
            case Heartbeat { Response: false } heartbeat:
                transport.Tell(new SendMobilityMessage(new Heartbeat(false, true, heartbeat.SequenceNumber), received.Peer));
                break;
            case Heartbeat:
                break;
            default:
                node.Counters.CountUnexpected();
                log.LogWarning("Dropped {Message} from {Peer}: a MAG does not expect it, or it names no MN attached here",
                    received.Message.GetType().Name, received.Peer);
                break;
        }
    }

    private IActorRef MobileNode(MobileNodeIdentifier mobileNode)
    {
        var name = MobileNodeNames.ActorName(mobileNode);
        var child = Context.Child(name);
        if (!child.IsNobody()) return child;
        var persistenceId = MobileNodeNames.PersistenceId(node.Name, mobileNode);
        return Context.ActorOf(Props.Create(() => new MagMobileNodeActor(mobileNode, persistenceId, node, transport)), name);
    }
}
