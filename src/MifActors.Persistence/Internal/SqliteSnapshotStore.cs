using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace MifActors.Persistence.Internal;

internal sealed class SqliteSnapshotStore(string connectionString) : ISnapshotStore
{
    private readonly SqliteConnections connections = new(connectionString);

    public async IAsyncEnumerable<SnapshotRow> LoadAsync(
        string persistenceId, SnapshotSelectionCriteria criteria, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT sequence_number, created, manifest, payload FROM snapshot
            WHERE persistence_id = $pid AND sequence_number <= $max AND sequence_number >= $min
              AND created <= $maxts AND created >= $mints
            ORDER BY sequence_number DESC
            """;
        Bind(select, persistenceId, criteria);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            yield return new SnapshotRow(persistenceId, reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), (byte[])reader.GetValue(3));
        }
    }

    public async Task SaveAsync(SnapshotRow snapshot, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO snapshot (persistence_id, sequence_number, created, manifest, payload) VALUES ($pid, $seq, $created, $manifest, $payload)
            ON CONFLICT (persistence_id, sequence_number) DO UPDATE SET created = excluded.created, manifest = excluded.manifest, payload = excluded.payload
            """;
        command.Parameters.AddWithValue("$pid", snapshot.PersistenceId);
        command.Parameters.AddWithValue("$seq", snapshot.SequenceNr);
        command.Parameters.AddWithValue("$created", snapshot.Created);
        command.Parameters.AddWithValue("$manifest", snapshot.Manifest);
        command.Parameters.AddWithValue("$payload", snapshot.Payload);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM snapshot WHERE persistence_id = $pid AND sequence_number <= $max AND sequence_number >= $min
              AND created <= $maxts AND created >= $mints
            """;
        Bind(command, persistenceId, criteria);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Bind(SqliteCommand command, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$max", criteria.MaxSequenceNr);
        command.Parameters.AddWithValue("$min", criteria.MinSequenceNr);
        command.Parameters.AddWithValue("$maxts", SnapshotTime.ToStored(criteria.MaxTimestamp));
        command.Parameters.AddWithValue("$mints", SnapshotTime.ToStored(criteria.MinTimestamp ?? DateTimeOffset.MinValue));
    }
}

/// <summary>Snapshot timestamps are stored as Unix milliseconds; the extremes clamp so criteria never overflow.</summary>
internal static class SnapshotTime
{
    public static long ToStored(DateTimeOffset time) =>
        time == DateTimeOffset.MaxValue ? long.MaxValue
        : time == DateTimeOffset.MinValue ? long.MinValue
        : time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromStored(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
