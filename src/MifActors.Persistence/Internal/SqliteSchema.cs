using Microsoft.Data.Sqlite;

namespace MifActors.Persistence.Internal;

/// <summary>The SQLite schema, created on first use; <c>schema_version</c> records which migrations ran.</summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    private const string Create = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL PRIMARY KEY,
            applied INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS event_journal (
            ordering INTEGER PRIMARY KEY AUTOINCREMENT,
            persistence_id TEXT NOT NULL,
            sequence_number INTEGER NOT NULL,
            created INTEGER NOT NULL,
            manifest TEXT NOT NULL,
            payload BLOB NOT NULL,
            tags TEXT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            writer_uuid TEXT NOT NULL,
            UNIQUE (persistence_id, sequence_number));
        CREATE TABLE IF NOT EXISTS journal_metadata (
            persistence_id TEXT NOT NULL PRIMARY KEY,
            sequence_number INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS snapshot (
            persistence_id TEXT NOT NULL,
            sequence_number INTEGER NOT NULL,
            created INTEGER NOT NULL,
            manifest TEXT NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (persistence_id, sequence_number));
        INSERT OR IGNORE INTO schema_version (version, applied) VALUES (1, $now);
        """;

    /// <summary>Opens a connection in WAL mode with synchronous=FULL: a commit is on disk when it returns.</summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        long current;
        try
        {
            current = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (SqliteException)
        {
            current = 0;
        }

        if (current > Version)
        {
            throw new InvalidOperationException($"The database has schema version {current}; this build knows up to {Version}; upgrade MifActors");
        }

        if (current < Version)
        {
            command.CommandText = Create;
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Opens connections to one SQLite database and makes sure the schema exists on the first one.</summary>
internal sealed class SqliteConnections(string connectionString)
{
    private readonly SchemaOnce<SqliteConnection> schema = new(SqliteSchema.EnsureAsync);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => await schema.OnOpenedAsync(
        await SqliteSchema.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
