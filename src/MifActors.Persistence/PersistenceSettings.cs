using Microsoft.Extensions.Configuration;

namespace MifActors.Persistence;

/// <summary>Which store the journal or the snapshot store uses, read from <c>mifactors.persistence.*</c>.</summary>
public enum StorePlugin
{
    Sqlite,
    PostgreSql,
}

/// <summary>One store's settings: <c>mifactors.persistence.journal</c> or <c>mifactors.persistence.snapshot-store</c>.</summary>
public sealed record StoreSettings(StorePlugin Plugin, string ConnectionString)
{
    internal static StoreSettings Read(IConfiguration configuration, string section)
    {
        var path = "mifactors:persistence:" + section;
        var plugin = configuration[path + ":plugin"];
        var key = "mifactors.persistence." + section;
        switch (plugin?.Trim().ToLowerInvariant())
        {
            case "sqlite":
                var sqlite = configuration[path + ":sqlite:connection-string"];
                if (string.IsNullOrWhiteSpace(sqlite))
                {
                    throw new InvalidOperationException($"{key}.sqlite.connection-string is empty; set it (for example \"Data Source=mifactors.db\") or choose another plugin");
                }

                return new StoreSettings(StorePlugin.Sqlite, sqlite);
            case "postgresql":
                var pg = configuration[path + ":postgresql:connection-string"];
                if (string.IsNullOrWhiteSpace(pg))
                {
                    throw new InvalidOperationException($"{key}.postgresql.connection-string is empty; set it when {key}.plugin = postgresql");
                }

                return new StoreSettings(StorePlugin.PostgreSql, pg);
            default:
                throw new InvalidOperationException($"{key}.plugin is \"{plugin}\"; expected \"sqlite\" or \"postgresql\"");
        }
    }
}

/// <summary>How the journal's writer batches, read from <c>mifactors.persistence.journal</c>.</summary>
/// <param name="MaxRowsPerTransaction">The most events group commit puts in one transaction.</param>
/// <param name="PostgreSqlWriterLanes">How many transactions a PostgreSQL journal runs at once.</param>
internal sealed record JournalTuning(int MaxRowsPerTransaction, int PostgreSqlWriterLanes)
{
    internal static JournalTuning Read(IConfiguration configuration) => new(
        PositiveInt(configuration, "max-rows-per-transaction"),
        PositiveInt(configuration, "postgresql:writer-lanes"));

    private static int PositiveInt(IConfiguration configuration, string key)
    {
        var value = configuration["mifactors:persistence:journal:" + key];
        var name = "mifactors.persistence.journal." + key.Replace(':', '.');
        if (!int.TryParse(value?.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw new InvalidOperationException($"{name} is \"{value}\"; expected a whole number of at least 1");
        }

        return number;
    }
}
