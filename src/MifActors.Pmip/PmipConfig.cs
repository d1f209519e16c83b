using System.Reflection;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;

namespace MifActors.Pmip;

/// <summary>
/// The module's defaults, <c>hocon/pmip.conf</c> (embedded as <c>MifActors.Pmip.conf</c>): <c>mifactors.pmip</c>, our
/// serializer's bindings and the Akka.Persistence.Sql journal, snapshot store and read journal on SQLite.
/// </summary>
public static class PmipConfig
{
    /// <summary>The embedded <c>hocon/pmip.conf</c>.</summary>
    public static Config Default { get; } = Load();

    /// <summary>
    /// Puts <see cref="Default"/> under the system's own configuration, above the defaults of Akka.Persistence and
    /// Akka.Persistence.Sql. Those extensions inject their own defaults (an in-memory default journal, empty connection
    /// strings) on top of the fallbacks when they start, so they are started first and ours go on top of theirs. (The
    /// default journal plugin Akka.Persistence reads once, when it starts: the MN actors name their plugins themselves,
    /// <c>mifactors.pmip.persistence.journal-plugin</c>.)
    /// </summary>
    public static void Inject(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        Akka.Persistence.Persistence.Instance.Apply(system);
        SqlPersistence.Get(system);
        // A no-op when injected already (the LMA and a MAG in one system both start through here).
        system.Settings.InjectTopLevelFallback(Default);
    }

    /// <summary>
    /// The journal, snapshot store and read journal on one database, as a test, a benchmark or a program that does not
    /// go through Akka.Hosting sets them: <paramref name="providerName"/> is a linq2db provider (<c>SQLite.MS</c>,
    /// <c>PostgreSQL.15</c>).
    /// </summary>
    public static Config Persistence(string providerName, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var provider = Quote(providerName);
        var connection = Quote(connectionString);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal.sql { provider-name = {{provider}}, connection-string = {{connection}} }
              snapshot-store.sql { provider-name = {{provider}}, connection-string = {{connection}} }
              query.journal.sql { provider-name = {{provider}}, connection-string = {{connection}} }
            }
            """);
    }

    /// <summary>A HOCON quoted string.</summary>
    internal static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static Config Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MifActors.Pmip.conf")
            ?? throw new InvalidOperationException("MifActors.Pmip.conf is not embedded in MifActors.Pmip; the build is broken");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
