using Npgsql;

namespace MifActors.Persistence.Internal;

/// <summary>The PostgreSQL schema, created on first use under an advisory lock so concurrent starters do not race.</summary>
internal static class PostgreSqlSchema
{
    public const int Version = 1;

    private const string Create = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INT NOT NULL PRIMARY KEY,
            applied TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS event_journal (
            ordering BIGSERIAL PRIMARY KEY,
            persistence_id TEXT NOT NULL,
            sequence_number BIGINT NOT NULL,
            created BIGINT NOT NULL,
            manifest TEXT NOT NULL,
            payload BYTEA NOT NULL,
            tags TEXT NULL,
            deleted BOOLEAN NOT NULL DEFAULT FALSE,
            writer_uuid TEXT NOT NULL,
            CONSTRAINT event_journal_persistence_id_sequence_number_key UNIQUE (persistence_id, sequence_number));
        CREATE TABLE IF NOT EXISTS journal_metadata (
            persistence_id TEXT NOT NULL PRIMARY KEY,
            sequence_number BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS snapshot (
            persistence_id TEXT NOT NULL,
            sequence_number BIGINT NOT NULL,
            created BIGINT NOT NULL,
            manifest TEXT NOT NULL,
            payload BYTEA NOT NULL,
            PRIMARY KEY (persistence_id, sequence_number));
        INSERT INTO schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;
        """;

    /// <summary>A data source whose sessions commit synchronously: a commit returns once WAL is flushed.</summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = ((builder.Options ?? "") + " -c synchronous_commit=on").Trim();
        // The journal and the snapshot store each have a pool; two default pools of 100 exceed the server's default
        // max_connections (100) when many actors recover at once, and the overflow fails with "too many clients".
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = 20;
        }
        // The journal's statements are few and run constantly: prepare them on each pooled connection once.
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 16;
            builder.AutoPrepareMinUsages = 2;
        }

        return NpgsqlDataSource.Create(builder);
    }

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Serialises concurrent first starts: CREATE TABLE IF NOT EXISTS alone races on the catalog.
        command.CommandText = "SELECT pg_advisory_xact_lock(7318246501)";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.CommandText = "SELECT to_regclass('schema_version') IS NOT NULL";
        var exists = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var current = 0;
        if (exists)
        {
            command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            current = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (current > Version)
        {
            throw new InvalidOperationException($"The database has schema version {current}; this build knows up to {Version}; upgrade MifActors");
        }

        if (current < Version)
        {
            command.CommandText = Create;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Opens pooled connections and makes sure the schema exists on the first one.</summary>
internal sealed class PostgreSqlConnections(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource = PostgreSqlSchema.DataSource(connectionString);
    private readonly SchemaOnce<NpgsqlConnection> schema = new(PostgreSqlSchema.EnsureAsync);

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => await schema.OnOpenedAsync(
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
