using MifActors.Mif;
using MifActors.Mif.Hosting;

namespace MifActors.Node.Roles;

/// <summary>The roles a node can run. A new role is one more entry: a name, its module's defaults, and its Akka.Hosting call.</summary>
public static class NodeRoles
{
    /// <summary>The MIF host agent (draft-ietf-mif-api-extension) and its JSON-lines socket.</summary>
    public static readonly NodeRole HostAgent = new(
        "host-agent", MifConfig.Default, MifHostingExtensions.ValidateHostAgentSettings, akka => akka.WithMifHostAgent());

    /// <summary>Every role, in the order they are listed in errors and docs.</summary>
    public static IReadOnlyList<NodeRole> All { get; } = [HostAgent];
}
