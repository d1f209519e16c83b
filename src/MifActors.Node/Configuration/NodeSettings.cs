using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Event;
using MifActors.Node.Configuration.Internal;
using MifActors.Node.Roles;

namespace MifActors.Node.Configuration;

/// <summary>The node's own keys, <c>mifactors.node</c>, read and checked once.</summary>
/// <param name="Name">The actor system's name (<c>mifactors.node.name</c>).</param>
/// <param name="Roles">The roles to run, in the order <c>mifactors.node.roles</c> lists them.</param>
/// <param name="LogLevel">Akka's <c>akka.loglevel</c>, which the node also applies to its console log.</param>
public sealed partial record NodeSettings(string Name, IReadOnlyList<NodeRole> Roles, LogLevel LogLevel)
{
    public const string NamePath = "mifactors.node.name";
    public const string RolesPath = "mifactors.node.roles";
    public const string LogLevelPath = "akka.loglevel";

    /// <summary>Reads <c>mifactors.node</c> from <paramref name="config"/>, resolving role names against <paramref name="known"/>.</summary>
    /// <exception cref="NodeConfigurationException">A key is missing or wrong; the message names it.</exception>
    public static NodeSettings Create(Config config, IReadOnlyList<NodeRole> known)
    {
        var name = ConfigValues.String(config, NamePath);
        if (!ActorSystemName().IsMatch(name))
            throw new NodeConfigurationException(
                $"{NamePath}: \"{name}\" cannot name an actor system; use letters, digits, '-' and '_', starting with a letter or digit");

        var names = ConfigValues.StringList(config, RolesPath);
        if (names.Count == 0)
            throw new NodeConfigurationException(
                $"{RolesPath}: no roles to run; list at least one of {KnownNames(known)} in the --config file (e.g. roles = [{known[0].Name}], as hocon/host.conf does)");

        var roles = new List<NodeRole>(names.Count);
        foreach (var roleName in names)
        {
            var role = known.FirstOrDefault(r => r.Name == roleName)
                ?? throw new NodeConfigurationException($"{RolesPath}: unknown role \"{roleName}\"; known roles are {KnownNames(known)}");
            if (roles.Contains(role))
                throw new NodeConfigurationException($"{RolesPath}: role \"{roleName}\" is listed twice");
            roles.Add(role);
        }

        var level = ConfigValues.String(config, LogLevelPath);
        LogLevel logLevel;
        try
        {
            logLevel = Logging.LogLevelFor(level);
        }
        catch (ArgumentException)
        {
            throw new NodeConfigurationException($"{LogLevelPath}: expected DEBUG, INFO, WARNING, ERROR or OFF, got \"{level}\"");
        }
        return new NodeSettings(name, roles, logLevel);
    }

    private static string KnownNames(IReadOnlyList<NodeRole> known) => string.Join(", ", known.Select(r => r.Name));

    // Akka's own rule for ActorSystem names.
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex ActorSystemName();
}
