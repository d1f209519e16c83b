using System.Runtime.CompilerServices;
using Npgsql;

namespace MifActors.Persistence.Internal;

internal sealed class PostgreSqlSnapshotStore(string connectionString) : ISnapshotStore
{
    private readonly PostgreSqlConnections connections = new(connectionString);

    public async IAsyncEnumerable<SnapshotRow> LoadAsync(
        string persistenceId, SnapshotSelectionCriteria criteria, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(
            """
            SELECT sequence_number, created, manifest, payload FROM snapshot
            WHERE persistence_id = @pid AND sequence_number <= @max AND sequence_number >= @min AND created <= @maxts AND created >= @mints
            ORDER BY sequence_number DESC
            """, connection);
        Bind(select, persistenceId, criteria);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new SnapshotRow(persistenceId, reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3));
        }
    }

    public async Task SaveAsync(SnapshotRow snapshot, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO snapshot (persistence_id, sequence_number, created, manifest, payload) VALUES (@pid, @seq, @created, @manifest, @payload)
            ON CONFLICT (persistence_id, sequence_number) DO UPDATE SET created = excluded.created, manifest = excluded.manifest, payload = excluded.payload
            """, connection);
        command.Parameters.AddWithValue("pid", snapshot.PersistenceId);
        command.Parameters.AddWithValue("seq", snapshot.SequenceNr);
        command.Parameters.AddWithValue("created", snapshot.Created);
        command.Parameters.AddWithValue("manifest", snapshot.Manifest);
        command.Parameters.AddWithValue("payload", snapshot.Payload);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            DELETE FROM snapshot
            WHERE persistence_id = @pid AND sequence_number <= @max AND sequence_number >= @min AND created <= @maxts AND created >= @mints
            """, connection);
        Bind(command, persistenceId, criteria);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => connections.DisposeAsync();

    private static void Bind(NpgsqlCommand command, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("max", criteria.MaxSequenceNr);
        command.Parameters.AddWithValue("min", criteria.MinSequenceNr);
        command.Parameters.AddWithValue("maxts", SnapshotTime.ToStored(criteria.MaxTimestamp));
        command.Parameters.AddWithValue("mints", SnapshotTime.ToStored(criteria.MinTimestamp ?? DateTimeOffset.MinValue));
    }
}
