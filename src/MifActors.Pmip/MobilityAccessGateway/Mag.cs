using System.Net;
using Akka.Actor;
using MifActors.Pmip.MobilityAccessGateway.Internal;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway;

/// <summary>
/// A Mobility Access Gateway (RFC 5213) that serves as T-MAG for flow handover (draft-koodli-flow-handover-00): the
/// actor tree under <c>/user/mag</c> (or the given name, when one process runs several MAGs, as tests do).
/// </summary>
public sealed class Mag
{
    private readonly MobilityCounters counters;

    private Mag(IActorRef actor, MobilityCounters counters, IPAddress address)
    {
        Ref = actor;
        this.counters = counters;
        Address = address;
    }

    /// <summary>The MAG actor: send it <see cref="MobileNodeAttached"/>, <see cref="MobileNodeDetached"/>, <see cref="GetMagMobileNode"/>.</summary>
    public IActorRef Ref { get; }

    /// <summary>This MAG's address, as the LMA knows it.</summary>
    public IPAddress Address { get; }

    public MobilityCounterSnapshot Counters => counters.Snapshot();

    /// <summary>
    /// Starts a MAG over <paramref name="transport"/>. Its MN actors keep their BULEs and FFEs in the system's
    /// Akka.Persistence journal, and come back from it when the MAG starts again.
    /// </summary>
    /// <param name="system">The actor system the tree lives in; <see cref="PmipConfig.Default"/> goes under its configuration.</param>
    /// <param name="transport">How datagrams reach the LMA; it is disposed when the system terminates.</param>
    /// <param name="associations">The LMA's key; its <c>Options</c> must equal the settings' codec.</param>
    /// <param name="lma">The LMA this MAG registers its MNs with (it must be in <paramref name="associations"/>).</param>
    /// <param name="accessTechnology">The access technology of this MAG's links (RFC 5213 §8.5).</param>
    /// <param name="settings">Null reads <c>mifactors.pmip</c> from the system's configuration.</param>
    /// <param name="name">The actor's name under <c>/user</c>, and the first part of its MNs' persistence ids.</param>
    public static Mag Start(ActorSystem system, IMobilityTransport transport, MobilitySecurityAssociations associations,
        IPAddress lma, AccessTechnologyType accessTechnology, PmipSettings? settings = null, string name = "mag")
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(associations);
        ArgumentNullException.ThrowIfNull(lma);
        settings = PmipSettings.For(system, settings, associations);
        var counters = new MobilityCounters();
        var context = new MagContext(name, settings, transport, associations, lma, accessTechnology,
            new MagAdmission(settings.MagFfeCapacity, settings.MagAdmittedDscp), counters);
        var actor = system.ActorOf(Props.Create(() => new MagActor(context)), name);
        system.RegisterOnTermination(transport.Dispose);
        var mag = new Mag(actor, counters, transport.LocalAddress);
        PmipNodes.Get(system).Add(name, mag);
        return mag;
    }

    /// <summary>Starts a MAG on <paramref name="address"/> over the transport <c>mifactors.pmip.transport</c> names.</summary>
    public static Mag Start(ActorSystem system, IPAddress address, MobilitySecurityAssociations associations, IPAddress lma,
        AccessTechnologyType accessTechnology, string name = "mag")
    {
        ArgumentNullException.ThrowIfNull(system);
        var settings = PmipSettings.For(system, null, associations);
        return Start(system, MobilityTransports.Open(address, settings), associations, lma, accessTechnology, settings, name);
    }
}
