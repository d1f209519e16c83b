using System.Net;
using Akka.Actor;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway.Internal;

/// <summary>Everything a MAG's actors share: set up once when a <see cref="Mag"/> starts.</summary>
internal sealed record MagContext(
    string Name,
    PmipSettings Settings,
    IMobilityTransport Transport,
    MobilitySecurityAssociations Associations,
    IPAddress Lma,
    AccessTechnologyType AccessTechnology,
    MagAdmission Admission,
    MobilityCounters Counters);

/// <summary>
/// <c>/user/mag</c>: owns <c>/transport</c>, routes attach events and signalling from its LMA to the MN actors, and
/// answers the LMA's heartbeats (RFC 5847). After a restart it brings back every MN actor the journal knows.
/// </summary>
internal sealed class MagActor : MobilityNodeActor
{
    private readonly MagContext node;

    public MagActor(MagContext node)
        : base(node.Name, node.Settings, node.Transport, node.Associations, node.Counters)
    {
        this.node = node;
        Receive<MobileNodeAttached>(m => MobileNode(m.MobileNode).Forward(m));
        Receive<MobileNodeDetached>(m => ExistingMobileNode(m.MobileNode).Tell(m, Sender));
        Receive<GetMagMobileNode>(m => ToMobileNode(m.MobileNode, m, () => new MagMobileNodeState(m.MobileNode, null, [], null, null, 0)));
        Receive<MobilityMessageReceived>(OnSignalling);
    }

    protected override Props MobileNodeProps(MobileNodeIdentifier mobileNode, string persistenceId) =>
        Props.Create(() => new MagMobileNodeActor(mobileNode, persistenceId, node, Transport));

    /// <summary>A PBA or FHRQ from this MAG's LMA for an MN that has an actor goes straight to it.</summary>
    protected override IActorRef? DirectRoute(MobilityMessageReceived received)
    {
        if (!received.Peer.Equals(node.Lma)) return null;
        return received.Message switch
        {
            ProxyBindingAck { MobileNodeIdentifier: { } mobileNode } => Directory.Find(mobileNode),
            FlowHandoverRequest request => Directory.Find(request.MobileNodeIdentifier),
            _ => null,
        };
    }

    private void OnSignalling(MobilityMessageReceived received)
    {
        if (!received.Peer.Equals(node.Lma))
        {
            DropUnexpected(received, $"this MAG's LMA is {node.Lma}");
            return;
        }

        switch (received.Message)
        {
            case ProxyBindingAck { MobileNodeIdentifier: { } mobileNode } when !ExistingMobileNode(mobileNode).IsNobody():
                ExistingMobileNode(mobileNode).Forward(received);
                break;
            case FlowHandoverRequest request:
                MobileNode(request.MobileNodeIdentifier).Forward(received);
                break;
            case Heartbeat:
                HandledHeartbeat(received);
                break;
            default:
                DropUnexpected(received, "a MAG does not expect it, or it names no MN attached here");
                break;
        }
    }
}
