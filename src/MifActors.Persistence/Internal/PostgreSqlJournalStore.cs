using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace MifActors.Persistence.Internal;

internal sealed class PostgreSqlJournalStore(string connectionString) : IJournalStore
{
    private const string UniqueViolation = "23505";
    private readonly PostgreSqlConnections connections = new(connectionString);

    public async Task WriteAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var write in writes) count += write.Rows.Count;
        var pids = new string[count];
        var seqs = new long[count];
        var created = new long[count];
        var manifests = new string[count];
        var payloads = new byte[count][];
        var writers = new string[count];
        var i = 0;
        foreach (var write in writes)
        {
            foreach (var row in write.Rows)
            {
                pids[i] = row.PersistenceId;
                seqs[i] = row.SequenceNr;
                created[i] = row.Created;
                manifests[i] = row.Manifest;
                payloads[i] = row.Payload;
                writers[i] = row.WriterUuid;
                i++;
            }
        }

        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // One statement for the whole batch: unnest turns the parallel arrays back into rows.
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO event_journal (persistence_id, sequence_number, created, manifest, payload, writer_uuid)
            SELECT * FROM unnest(@pids, @seqs, @created, @manifests, @payloads, @writers)
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string[]>("pids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = pids });
        insert.Parameters.Add(new NpgsqlParameter<long[]>("seqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = seqs });
        insert.Parameters.Add(new NpgsqlParameter<long[]>("created", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = created });
        insert.Parameters.Add(new NpgsqlParameter<string[]>("manifests", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = manifests });
        insert.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = payloads });
        insert.Parameters.Add(new NpgsqlParameter<string[]>("writers", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = writers });
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation && writes.Count == 1)
        {
            throw Stores.Conflict(writes[0], e);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<JournalRow> ReplayAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(
            """
            SELECT ordering, sequence_number, created, manifest, payload, tags, writer_uuid FROM event_journal
            WHERE persistence_id = @pid AND sequence_number >= @from AND sequence_number <= @to AND NOT deleted
            ORDER BY sequence_number LIMIT @max
            """, connection);
        select.Parameters.AddWithValue("pid", persistenceId);
        select.Parameters.AddWithValue("from", fromSequenceNr);
        select.Parameters.AddWithValue("to", toSequenceNr);
        select.Parameters.AddWithValue("max", max);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new JournalRow(
                persistenceId,
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetFieldValue<byte[]>(4),
                reader.GetString(6),
                reader.GetInt64(0),
                reader.IsDBNull(5) ? null : reader.GetString(5));
        }
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await HighestAsync(connection, null, persistenceId, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var highest = await HighestAsync(connection, transaction, persistenceId, cancellationToken).ConfigureAwait(false);
        // The metadata row keeps the highest sequence number once the rows that carried it are gone.
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO journal_metadata (persistence_id, sequence_number) VALUES (@pid, @highest)
            ON CONFLICT (persistence_id) DO UPDATE SET sequence_number = GREATEST(journal_metadata.sequence_number, excluded.sequence_number);
            DELETE FROM event_journal WHERE persistence_id = @pid AND sequence_number <= @to;
            """, connection, transaction);
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("highest", highest);
        command.Parameters.AddWithValue("to", toSequenceNr);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => connections.DisposeAsync();

    private static async Task<long> HighestAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string persistenceId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT GREATEST(COALESCE((SELECT MAX(sequence_number) FROM event_journal WHERE persistence_id = @pid), 0),
                            COALESCE((SELECT sequence_number FROM journal_metadata WHERE persistence_id = @pid), 0))
            """, connection, transaction);
        command.Parameters.AddWithValue("pid", persistenceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
