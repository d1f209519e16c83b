using System.Buffers;
using System.Collections.Concurrent;
using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace MifActors.Persistence.Internal;

internal sealed class PostgreSqlJournalStore(string connectionString, int writerLanes) : IJournalStore
{
    private const string UniqueViolation = "23505";

    // One statement for a whole batch, unnest turning the parallel arrays back into rows. A single statement is atomic
    // on its own, so it runs without BEGIN/COMMIT: one round trip per batch instead of three.
    private const string Insert = """
        INSERT INTO event_journal (persistence_id, sequence_number, created, manifest, payload, writer_uuid, tags)
        SELECT * FROM unnest(@pids, @seqs, @created, @manifests, @payloads, @writers, @tags)
        """;

    private readonly PostgreSqlConnections connections = new(connectionString);

    // At most one per lane: a connection kept open with the insert prepared on it, so a batch is one Bind/Execute/Sync
    // on a warm connection, without the pool's checkout, reset and per-command set-up.
    private readonly ConcurrentBag<Writer> idleWriters = [];

    // Concurrent transactions let the server flush one WAL sync for several of them (its own group commit); a few
    // lanes are enough for that and leave the pool for replays (mifactors.persistence.journal.postgresql.writer-lanes).
    public int WriterLanes => writerLanes;

    public async Task WriteAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken)
    {
        var writer = idleWriters.TryTake(out var idle) ? idle : await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            writer.Bind(writes);
            await writer.Command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            // The statement failed alone and the connection is still good.
            Release(writer);
            if (writes.Count == 1) throw Stores.Conflict(writes[0], e);
            // The server does not say which write it was; the journal writer retries each actor's writes alone to find
            // out, and a bulk append (one caller, many writes) learns only that one of them conflicted.
            throw new SequenceConflictException(
                $"one of {writes.Count} writes (persistence ids \"{writes[0].PersistenceId}\" to \"{writes[^1].PersistenceId}\") has a sequence number that is already stored", e);
        }
        catch
        {
            // Most likely the server went away: the idle writers' connections are as dead as this one.
            await writer.DisposeAsync().ConfigureAwait(false);
            while (idleWriters.TryTake(out var other)) await other.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Release(writer);
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
                onEvent(seq, manifest, ReadPayload(reader, 2, ref buffer));
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

    public async ValueTask DisposeAsync()
    {
        while (idleWriters.TryTake(out var writer)) await writer.DisposeAsync().ConfigureAwait(false);
        await connections.DisposeAsync().ConfigureAwait(false);
    }

    private void Release(Writer writer)
    {
        writer.Clear();
        idleWriters.Add(writer);
    }

    private async Task<Writer> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = new Writer(connection);
            await writer.Command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return writer;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

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

    /// <summary>A connection of its own with the batch insert prepared on it; used by one lane at a time.</summary>
    private sealed class Writer : IAsyncDisposable
    {
        private readonly NpgsqlConnection connection;
        private readonly NpgsqlParameter<string[]> pids = new("pids", NpgsqlDbType.Array | NpgsqlDbType.Text);
        private readonly NpgsqlParameter<long[]> seqs = new("seqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        private readonly NpgsqlParameter<long[]> created = new("created", NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        private readonly NpgsqlParameter<string[]> manifests = new("manifests", NpgsqlDbType.Array | NpgsqlDbType.Text);
        private readonly NpgsqlParameter<byte[][]> payloads = new("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea);
        private readonly NpgsqlParameter<string[]> writers = new("writers", NpgsqlDbType.Array | NpgsqlDbType.Text);
        private readonly NpgsqlParameter<string?[]> tags = new("tags", NpgsqlDbType.Array | NpgsqlDbType.Text);

        public Writer(NpgsqlConnection connection)
        {
            this.connection = connection;
            Command = new NpgsqlCommand(Insert, connection);
            Command.Parameters.Add(pids);
            Command.Parameters.Add(seqs);
            Command.Parameters.Add(created);
            Command.Parameters.Add(manifests);
            Command.Parameters.Add(payloads);
            Command.Parameters.Add(writers);
            Command.Parameters.Add(tags);
            Clear();
        }

        public NpgsqlCommand Command { get; }

        /// <summary>The writes as the statement's parallel arrays.</summary>
        public void Bind(IReadOnlyList<AtomicWrite> writes)
        {
            var count = 0;
            foreach (var write in writes) count += write.Rows.Count;
            var pidValues = new string[count];
            var seqValues = new long[count];
            var createdValues = new long[count];
            var manifestValues = new string[count];
            var payloadValues = new byte[count][];
            var writerValues = new string[count];
            var tagValues = new string?[count];
            var i = 0;
            foreach (var write in writes)
            {
                foreach (var row in write.Rows)
                {
                    pidValues[i] = row.PersistenceId;
                    seqValues[i] = row.SequenceNr;
                    createdValues[i] = row.Created;
                    manifestValues[i] = row.Manifest;
                    payloadValues[i] = row.Payload;
                    writerValues[i] = row.WriterUuid;
                    tagValues[i] = row.Tags;
                    i++;
                }
            }

            pids.TypedValue = pidValues;
            seqs.TypedValue = seqValues;
            created.TypedValue = createdValues;
            manifests.TypedValue = manifestValues;
            payloads.TypedValue = payloadValues;
            writers.TypedValue = writerValues;
            tags.TypedValue = tagValues;
        }

        /// <summary>Lets go of the last batch's rows while the writer waits for the next.</summary>
        public void Clear()
        {
            pids.TypedValue = [];
            seqs.TypedValue = [];
            created.TypedValue = [];
            manifests.TypedValue = [];
            payloads.TypedValue = [];
            writers.TypedValue = [];
            tags.TypedValue = [];
        }

        public async ValueTask DisposeAsync()
        {
            await Command.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies a bytea column into <paramref name="buffer"/> (a rented array, replaced by a bigger one when needed) and
    /// lends it out: replays read one payload at a time, so no event needs a byte[] of its own.
    /// </summary>
    internal static ReadOnlySpan<byte> ReadPayload(NpgsqlDataReader reader, int ordinal, ref byte[] buffer)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (length > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(length);
        }

        reader.GetBytes(ordinal, 0, buffer, 0, length);
        return buffer.AsSpan(0, length);
    }
}
