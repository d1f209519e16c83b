using System.Net;
using Akka.Actor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor;

/// <summary>
/// A Local Mobility Anchor (RFC 5213) with flow handover (draft-koodli-flow-handover-00): the actor tree under
/// <c>/user/lma</c> and the forwarding decision <see cref="Route"/>, which the data plane calls from any thread.
/// </summary>
public sealed class Lma
{
    private readonly LmaRoutingTable routing;
    private readonly MobilityCounters counters;

    private Lma(IActorRef actor, LmaRoutingTable routing, MobilityCounters counters, PmipSettings settings)
    {
        Ref = actor;
        this.routing = routing;
        this.counters = counters;
        Settings = settings;
    }

    /// <summary><c>/user/lma</c>: send it <see cref="FlowStarted"/>, <see cref="FlowEnded"/>, <see cref="GetLmaMobileNode"/>.</summary>
    public IActorRef Ref { get; }

    public PmipSettings Settings { get; }

    /// <summary>What this LMA received and dropped so far.</summary>
    public MobilityCounterSnapshot Counters => counters.Snapshot();

    /// <summary>
    /// Starts an LMA over <paramref name="transport"/>. Its MN actors keep their state in the system's Akka.Persistence
    /// journal (<c>akka.persistence</c>, SQLite by default), so starting again over the same journal after a crash
    /// brings back every BCE and FFE (expiring those whose lifetime passed meanwhile).
    /// </summary>
    /// <param name="system">The actor system the tree lives in; <see cref="PmipConfig.Default"/> goes under its configuration.</param>
    /// <param name="transport">How datagrams reach the MAGs; it is disposed when the system terminates.</param>
    /// <param name="associations">The MAGs this LMA accepts signalling from; its <c>Options</c> must equal the settings' codec.</param>
    /// <param name="settings">Null reads <c>mifactors.pmip</c> from the system's configuration.</param>
    /// <param name="name">The actor's name under <c>/user</c>, and the first part of its MNs' persistence ids.</param>
    public static Lma Start(ActorSystem system, IMobilityTransport transport, MobilitySecurityAssociations associations,
        PmipSettings? settings = null, string name = "lma")
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(associations);
        settings = PmipSettings.For(system, settings, associations);
        var routing = new LmaRoutingTable();
        var counters = new MobilityCounters();
        var context = new LmaContext(name, settings, transport, associations, routing, new OutstandingRequests(), counters);
        var actor = system.ActorOf(Props.Create(() => new LmaActor(context)), name);
        system.RegisterOnTermination(transport.Dispose);
        var lma = new Lma(actor, routing, counters, settings);
        PmipNodes.Get(system).Add(name, lma);
        return lma;
    }

    /// <summary>Starts an LMA on <paramref name="address"/> over the transport <c>mifactors.pmip.transport</c> names.</summary>
    public static Lma Start(ActorSystem system, IPAddress address, MobilitySecurityAssociations associations, string name = "lma")
    {
        ArgumentNullException.ThrowIfNull(system);
        var settings = PmipSettings.For(system, null, associations);
        return Start(system, MobilityTransports.Open(address, settings), associations, settings, name);
    }

    /// <summary>
    /// The forwarding decision for a packet of <paramref name="flow"/> (QoS is ignored): the MAG of the most specific
    /// matching FFE, else of the BCE whose HNP or IPv4 home address holds the flow's destination (or source), else
    /// <see cref="MagAddress.None"/>.
    /// </summary>
    public MagAddress Route(FlowTuple flow) => routing.Route(flow);
}
