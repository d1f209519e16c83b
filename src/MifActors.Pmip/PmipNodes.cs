using System.Collections.Concurrent;
using Akka.Actor;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;

namespace MifActors.Pmip;

/// <summary>
/// The LMAs and MAGs started in one actor system, by name: how code that did not start a node (a data plane calling
/// <see cref="Lma.Route"/>, a hosted service) finds it. <see cref="Lma.Start(ActorSystem, Transport.IMobilityTransport, Wire.MobilitySecurityAssociations, PmipSettings?, string)"/>
/// and <see cref="Mag.Start(ActorSystem, Transport.IMobilityTransport, Wire.MobilitySecurityAssociations, System.Net.IPAddress, Wire.AccessTechnologyType, PmipSettings?, string)"/> add themselves.
/// </summary>
public sealed class PmipNodes : IExtension
{
    private readonly ConcurrentDictionary<string, Lma> lmas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Mag> mags = new(StringComparer.Ordinal);

    public static PmipNodes Get(ActorSystem system) => system.WithExtension<PmipNodes, PmipNodesProvider>();

    /// <summary>The LMA started under <c>/user/<paramref name="name"/></c>, or null.</summary>
    public Lma? Lma(string name = "lma") => lmas.GetValueOrDefault(name);

    /// <summary>The MAG started under <c>/user/<paramref name="name"/></c>, or null.</summary>
    public Mag? Mag(string name = "mag") => mags.GetValueOrDefault(name);

    internal void Add(string name, Lma lma) => lmas[name] = lma;

    internal void Add(string name, Mag mag) => mags[name] = mag;
}

/// <summary>Makes the <see cref="PmipNodes"/> extension.</summary>
public sealed class PmipNodesProvider : ExtensionIdProvider<PmipNodes>
{
    public override PmipNodes CreateExtension(ExtendedActorSystem system) => new();
}
