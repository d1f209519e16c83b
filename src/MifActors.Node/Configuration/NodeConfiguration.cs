using Akka.Configuration;
using MifActors.Node.Configuration.Internal;
using MifActors.Node.Roles;

namespace MifActors.Node.Configuration;

/// <summary>
/// A node's whole configuration, layered and checked: environment overrides, over the file given with
/// <c>--config</c> (and what it includes), over <c>hocon/node.conf</c>, over the defaults of every module a
/// role can start. Akka's own <c>akka.conf</c> sits under all of it, as in any actor system.
/// </summary>
public sealed class NodeConfiguration
{
    private NodeConfiguration(Config config, NodeSettings settings)
    {
        Config = config;
        Settings = settings;
    }

    /// <summary>The layered configuration the actor system is given.</summary>
    public Config Config { get; }

    /// <summary>The node's own keys, checked.</summary>
    public NodeSettings Settings { get; }

    /// <summary>Layers and checks a node's configuration; every role it names has read and checked its settings.</summary>
    /// <param name="file">The <c>--config</c> file, or null for the defaults and the environment alone.</param>
    /// <param name="environment">The environment's overrides.</param>
    /// <param name="known">The roles this node can run.</param>
    /// <exception cref="NodeConfigurationException">The configuration cannot be used; the message is one line naming the file or key.</exception>
    public static NodeConfiguration Load(string? file, EnvironmentOverrides environment, IReadOnlyList<NodeRole> known)
    {
        var fromFile = file is null ? null : HoconFile.Load(file);
        var config = fromFile is null ? environment.Config : environment.Config.WithFallback(fromFile);
        config = config.WithFallback(NodeConfig.Default);
        foreach (var role in known)
            config = config.WithFallback(role.Defaults);

        try
        {
            var settings = NodeSettings.Create(config, known);
            foreach (var role in settings.Roles)
                role.Validate(config);
            return new NodeConfiguration(config, settings);
        }
        catch (Exception e)
        {
            throw new NodeConfigurationException(WithOrigin(HoconFile.OneLine(e.Message), environment, file, fromFile));
        }
    }

    // Settings errors start with the key ("mifactors.mif.api.socket: ..."). Say where its value came from: the
    // environment (or the user searches the file for a value that is not there), or the file; the defaults are
    // checked by the tests and never the culprit.
    private static string WithOrigin(string message, EnvironmentOverrides environment, string? file, Config? fromFile)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            return message;
        // "mifactors.node.roles[1]" is the element the environment names "...__ROLES__1".
        var key = message[..colon];
        if (environment.VariableFor(key.Replace('[', '.').TrimEnd(']')) is { } variable)
            return $"{message} (set by environment variable {variable})";
        var index = key.IndexOf('[', StringComparison.Ordinal);
        var path = index < 0 ? key : key[..index];
        return fromFile is not null && IsKeyPath(path) && fromFile.HasPath(path) ? $"{HoconFile.DisplayName(file!)}: {message}" : message;
    }

    private static bool IsKeyPath(string text) => text.Length > 0 && !text.Contains(' ', StringComparison.Ordinal);
}
