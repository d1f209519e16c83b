using System.Buffers;
using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace MifActors.Persistence.Internal;

internal sealed class PostgreSqlJournalStore(string connectionString) : IJournalStore
{
    private const string UniqueViolation = "23505";
    private readonly PostgreSqlConnections connections = new(connectionString);

    // Concurrent transactions let the server flush one WAL sync for several of them (its own group commit); a few
    // lanes are enough for that and leave the pool for replays.
    public int WriterLanes => 4;

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
        var tags = new string?[count];
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
                tags[i] = row.Tags;
                i++;
            }
        }

        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One statement for the whole batch, unnest turning the parallel arrays back into rows. A single statement is
        // atomic on its own, so it runs without BEGIN/COMMIT: one round trip per batch instead of two.
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO event_journal (persistence_id, sequence_number, created, manifest, payload, writer_uuid, tags)
            SELECT * FROM unnest(@pids, @seqs, @created, @manifests, @payloads, @writers, @tags)
            """, connection);
        insert.Parameters.Add(new NpgsqlParameter<string[]>("pids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = pids });
        insert.Parameters.Add(new NpgsqlParameter<long[]>("seqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = seqs });
        insert.Parameters.Add(new NpgsqlParameter<long[]>("created", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = created });
        insert.Parameters.Add(new NpgsqlParameter<string[]>("manifests", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = manifests });
        insert.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = payloads });
        insert.Parameters.Add(new NpgsqlParameter<string[]>("writers", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = writers });
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("tags", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = tags });
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation && writes.Count == 1)
        {
            throw Stores.Conflict(writes[0], e);
        }
    }

    public async IAsyncEnumerable<JournalRow> ReplayAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = SelectEvents(
            connection, "ordering, sequence_number, created, manifest, payload, tags, writer_uuid", persistenceId, fromSequenceNr, toSequenceNr, max);
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

    public async Task ReplayEventsAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, long max, ReplayedRow onEvent, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = SelectEvents(connection, "sequence_number, manifest, payload", persistenceId, fromSequenceNr, toSequenceNr, max);
        await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        // Payloads are copied into one rented buffer and lent out, instead of a new byte[] per event.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var seq = reader.GetInt64(0);
                var manifest = reader.GetString(1);
                var length = (int)reader.GetBytes(2, 0, null, 0, 0);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                reader.GetBytes(2, 0, buffer, 0, length);
                onEvent(seq, manifest, buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
        // Logical delete: the rows stay, so their sequence numbers stay taken (a stale writer conflicts on them);
        // the metadata row keeps the highest sequence number should the rows ever be purged.
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO journal_metadata (persistence_id, sequence_number) VALUES (@pid, @highest)
            ON CONFLICT (persistence_id) DO UPDATE SET sequence_number = GREATEST(journal_metadata.sequence_number, excluded.sequence_number);
            UPDATE event_journal SET deleted = TRUE WHERE persistence_id = @pid AND sequence_number <= @to AND NOT deleted;
            """, connection, transaction);
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("highest", highest);
        command.Parameters.AddWithValue("to", toSequenceNr);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => connections.DisposeAsync();

    private static NpgsqlCommand SelectEvents(NpgsqlConnection connection, string columns, string persistenceId, long fromSequenceNr, long toSequenceNr, long max)
    {
        var select = new NpgsqlCommand(
            $"""
            SELECT {columns} FROM event_journal
            WHERE persistence_id = @pid AND sequence_number >= @from AND sequence_number <= @to AND NOT deleted
            ORDER BY sequence_number LIMIT @max
            """, connection);
        select.Parameters.AddWithValue("pid", persistenceId);
        select.Parameters.AddWithValue("from", fromSequenceNr);
        select.Parameters.AddWithValue("to", toSequenceNr);
        select.Parameters.AddWithValue("max", max);
        return select;
    }

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
