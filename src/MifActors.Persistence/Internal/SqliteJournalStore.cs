using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace MifActors.Persistence.Internal;

internal sealed class SqliteJournalStore(string connectionString) : IJournalStore
{
    private const int SqliteConstraint = 19;

    // Only the writer loop uses this connection, so it needs no lock; it is dropped after any error and reopened.
    private SqliteConnection? writer;
    private volatile bool schemaReady;

    public async Task WriteAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken)
    {
        var connection = await WriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO event_journal (persistence_id, sequence_number, created, manifest, payload, tags, deleted, writer_uuid)
                VALUES ($pid, $seq, $created, $manifest, $payload, NULL, 0, $writer)
                """;
            var pid = insert.Parameters.Add("$pid", SqliteType.Text);
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var created = insert.Parameters.Add("$created", SqliteType.Integer);
            var manifest = insert.Parameters.Add("$manifest", SqliteType.Text);
            var payload = insert.Parameters.Add("$payload", SqliteType.Blob);
            var writerUuid = insert.Parameters.Add("$writer", SqliteType.Text);
            insert.Prepare();
            foreach (var write in writes)
            {
                foreach (var row in write.Rows)
                {
                    pid.Value = row.PersistenceId;
                    seq.Value = row.SequenceNr;
                    created.Value = row.Created;
                    manifest.Value = row.Manifest;
                    payload.Value = row.Payload;
                    writerUuid.Value = row.WriterUuid;
                    try
                    {
                        insert.ExecuteNonQuery();
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
                    {
                        throw Stores.Conflict(write, e);
                    }
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SequenceConflictException)
        {
            await DropWriterAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async IAsyncEnumerable<JournalRow> ReplayAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT ordering, sequence_number, created, manifest, payload, tags, writer_uuid FROM event_journal
            WHERE persistence_id = $pid AND sequence_number >= $from AND sequence_number <= $to AND deleted = 0
            ORDER BY sequence_number LIMIT $max
            """;
        select.Parameters.AddWithValue("$pid", persistenceId);
        select.Parameters.AddWithValue("$from", fromSequenceNr);
        select.Parameters.AddWithValue("$to", toSequenceNr);
        select.Parameters.AddWithValue("$max", max);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            yield return new JournalRow(
                persistenceId,
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetString(3),
                (byte[])reader.GetValue(4),
                reader.GetString(6),
                reader.GetInt64(0),
                reader.IsDBNull(5) ? null : reader.GetString(5));
        }
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        return await HighestAsync(connection, null, persistenceId, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        var connection = await WriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var highest = await HighestAsync(connection, transaction, persistenceId, cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // The metadata row keeps the highest sequence number once the rows that carried it are gone.
            command.CommandText = """
                INSERT INTO journal_metadata (persistence_id, sequence_number) VALUES ($pid, $highest)
                ON CONFLICT (persistence_id) DO UPDATE SET sequence_number = MAX(sequence_number, excluded.sequence_number);
                DELETE FROM event_journal WHERE persistence_id = $pid AND sequence_number <= $to;
                """;
            command.Parameters.AddWithValue("$pid", persistenceId);
            command.Parameters.AddWithValue("$highest", highest);
            command.Parameters.AddWithValue("$to", toSequenceNr);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DropWriterAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await DropWriterAsync().ConfigureAwait(false);

    private static async Task<long> HighestAsync(SqliteConnection connection, SqliteTransaction? transaction, string persistenceId, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT MAX(COALESCE((SELECT MAX(sequence_number) FROM event_journal WHERE persistence_id = $pid), 0),
                       COALESCE((SELECT sequence_number FROM journal_metadata WHERE persistence_id = $pid), 0))
            """;
        command.Parameters.AddWithValue("$pid", persistenceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<SqliteConnection> WriterAsync(CancellationToken cancellationToken)
    {
        if (writer is not null) return writer;
        var connection = await SqliteSchema.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!schemaReady)
            {
                await SqliteSchema.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
                schemaReady = true;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return writer = connection;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = await SqliteSchema.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        if (!schemaReady)
        {
            try
            {
                await SqliteSchema.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
                schemaReady = true;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return connection;
    }

    private async Task DropWriterAsync()
    {
        var connection = writer;
        writer = null;
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
    }
}
