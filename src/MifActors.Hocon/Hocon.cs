using System.Text.Json.Nodes;
using MifActors.Hocon.Internal;

namespace MifActors.Hocon;

/// <summary>
/// Reads HOCON (lightbend's HOCON.md) into a fully resolved tree: includes read, duplicate keys
/// merged, substitutions replaced (falling back to environment variables).
/// </summary>
public static class Hocon
{
    private static readonly Lazy<string> Reference = new(() =>
        EmbeddedResources.TryRead("reference.conf")
        ?? throw new InvalidOperationException("reference.conf is missing from the MifActors.Hocon assembly"));

    /// <summary>
    /// The project's <c>hocon/reference.conf</c>, embedded in this assembly: every default,
    /// each key commented. Options classes bind from it; no default is repeated in code.
    /// </summary>
    public static string ReferenceConf => Reference.Value;

    /// <summary>Parses HOCON text; relative includes are read from <paramref name="baseDirectory"/> (default: the current directory).</summary>
    /// <exception cref="HoconException">The text is not valid HOCON, or a substitution or include cannot be resolved.</exception>
    public static JsonNode? ParseToJson(string text, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Output.ToJson(ParseText(text, "(string)", baseDirectory));
    }

    /// <summary>Parses a HOCON file; its includes are read relative to the file's directory.</summary>
    /// <exception cref="HoconException">The file is missing or not valid HOCON, or a substitution or include cannot be resolved.</exception>
    public static JsonNode? ParseFileToJson(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Output.ToJson(ParseFile(path));
    }

    internal static HValue ParseText(string text, string displayName, string? baseDirectory) =>
        Resolver.Resolve(IncludeContext.ParseText(text, displayName, baseDirectory));

    internal static HValue ParseFile(string path) => Resolver.Resolve(IncludeContext.ParseFile(path));
}
