using Akka.Configuration;
using Akka.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace MifActors.Node.Configuration;

/// <summary>
/// The top layer of a node's configuration: environment variables named <c>MIFACTORS__PATH</c> or
/// <c>AKKA__PATH</c>. A double underscore separates path segments, a single underscore becomes a hyphen,
/// and case does not matter: <c>MIFACTORS__MIF__API__SOCKET=/tmp/x.sock</c> sets
/// <c>mifactors.mif.api.socket</c>, <c>MIFACTORS__NODE__ROLES__0=host-agent</c> the first role.
/// </summary>
public sealed class EnvironmentOverrides
{
    /// <summary>The top-level HOCON keys the environment may override; anything else in it is ignored.</summary>
    public static readonly IReadOnlyList<string> Roots = ["mifactors", "akka"];

    private readonly Dictionary<string, string> _variables;

    private EnvironmentOverrides(Config config, Dictionary<string, string> variables)
    {
        Config = config;
        _variables = variables;
    }

    /// <summary>The overrides as HOCON, to be put in front of the file's configuration.</summary>
    public Config Config { get; }

    /// <summary>The overrides from the process's environment.</summary>
    public static EnvironmentOverrides FromProcess() =>
        From(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    /// <summary>The overrides in <paramref name="environment"/>, an <see cref="IConfiguration"/> built with <c>AddEnvironmentVariables()</c>.</summary>
    public static EnvironmentOverrides From(IConfiguration environment)
    {
        var config = Config.Empty;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in Roots)
        {
            var section = environment.GetSection(root);
            if (section.Value is not null)
                throw new NodeConfigurationException(
                    $"environment variable {root.ToUpperInvariant()} would replace the whole '{root}' tree; name one key, e.g. {root.ToUpperInvariant()}__SOME__KEY=value");
            if (!section.GetChildren().Any())
                continue;

            // Named in upper case, as such variables are written; the names match in any case.
            foreach (var (key, value) in section.AsEnumerable())
            {
                if (value is not null)
                    variables[HoconPath(key)] = key.ToUpperInvariant().Replace(":", "__", StringComparison.Ordinal);
            }
            // The adapter does the key normalisation (lower case, '_' to '-') that the names above promise.
            config = config.WithFallback(section.ToHocon(normalizeKeys: true));
        }
        return new EnvironmentOverrides(config, variables);
    }

    /// <summary>The variable that set a HOCON path (<c>mifactors.mif.api.socket</c>) or a key under it, if one did.</summary>
    public string? VariableFor(string hoconPath) =>
        _variables.GetValueOrDefault(hoconPath)
        ?? _variables.Where(v => v.Key.StartsWith(hoconPath + ".", StringComparison.Ordinal)).Select(v => v.Value).FirstOrDefault();

    // "MIFACTORS:NODE:ROLES:0" -> "mifactors.node.roles.0"; list elements keep their index as a segment.
    private static string HoconPath(string key) =>
        key.ToLowerInvariant().Replace('_', '-').Replace(':', '.');
}
