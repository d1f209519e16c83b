using Akka.Configuration;

namespace MifActors.Node.Configuration;

/// <summary>The node's defaults: <c>hocon/node.conf</c>, embedded in this assembly.</summary>
public static class NodeConfig
{
    private static readonly Lazy<Config> DefaultConfig =
        new(() => ConfigurationFactory.FromResource<NodeSettings>("MifActors.Node.conf"));

    /// <summary><c>mifactors.node { ... }</c> with every default, as shipped in <c>hocon/node.conf</c>.</summary>
    public static Config Default => DefaultConfig.Value;
}
