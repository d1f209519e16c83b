using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MifActors.Persistence.Internal;

/// <summary>
/// The journal in SQLite. The hot paths (insert, replay) run on statements prepared once through SQLitePCL's raw
/// API: binding by position and lending payloads as spans cost a fraction of <see cref="SqliteCommand"/>'s per-row
/// parameter lookup and byte[] copies.
/// </summary>
internal sealed class SqliteJournalStore(string connectionString) : IJournalStore
{
    private const int SqliteConstraint = 19;

    private const string Insert = """
        INSERT INTO event_journal (persistence_id, sequence_number, created, manifest, payload, tags, deleted, writer_uuid)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)
        """;

    private const string SelectEvents = """
        SELECT sequence_number, manifest, payload FROM event_journal
        WHERE persistence_id = ?1 AND sequence_number >= ?2 AND sequence_number <= ?3 AND deleted = 0
        ORDER BY sequence_number LIMIT ?4
        """;

    private readonly SqliteConnections connections = new(connectionString);

    // Only the writer loop uses these, so they need no lock; they are dropped after any error and made again.
    private SqliteConnection? writer;
    private sqlite3_stmt? insert;

    public int WriterLanes => 1;

    public async Task WriteAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken)
    {
        var connection = await WriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var statement = insert!;
            foreach (var write in writes)
            {
                foreach (var row in write.Rows)
                {
                    raw.sqlite3_bind_text(statement, 1, row.PersistenceId);
                    raw.sqlite3_bind_int64(statement, 2, row.SequenceNr);
                    raw.sqlite3_bind_int64(statement, 3, row.Created);
                    raw.sqlite3_bind_text(statement, 4, row.Manifest);
                    raw.sqlite3_bind_blob(statement, 5, row.Payload);
                    if (row.Tags is null) raw.sqlite3_bind_null(statement, 6);
                    else raw.sqlite3_bind_text(statement, 6, row.Tags);
                    raw.sqlite3_bind_text(statement, 7, row.WriterUuid);
                    var rc = raw.sqlite3_step(statement);
                    raw.sqlite3_reset(statement);
                    if (rc == raw.SQLITE_DONE) continue;
                    var error = new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc & 0xff, rc);
                    if ((rc & 0xff) == SqliteConstraint) throw Stores.Conflict(write, error);
                    throw error;
                }
            }

            transaction.Commit();
        }
        catch (Exception e) when (e is not SequenceConflictException)
        {
            await DropWriterAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (insert is not null) raw.sqlite3_clear_bindings(insert);
        }
    }

    public async IAsyncEnumerable<JournalRow> ReplayAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
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

    public async Task ReplayEventsAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, long max, ReplayedRow onEvent, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, SelectEvents, out var select));
        using (select)
        {
            raw.sqlite3_bind_text(select, 1, persistenceId);
            raw.sqlite3_bind_int64(select, 2, fromSequenceNr);
            raw.sqlite3_bind_int64(select, 3, toSequenceNr);
            raw.sqlite3_bind_int64(select, 4, max);
            // Consecutive events mostly share a manifest: compare bytes and reuse the string instead of decoding each.
            var manifest = "";
            var manifestBytes = Array.Empty<byte>();
            int rc;
            while ((rc = raw.sqlite3_step(select)) == raw.SQLITE_ROW)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var text = raw.sqlite3_column_blob(select, 1);
                if (!text.SequenceEqual(manifestBytes))
                {
                    manifestBytes = text.ToArray();
                    manifest = Encoding.UTF8.GetString(manifestBytes);
                }

                onEvent(raw.sqlite3_column_int64(select, 0), manifest, raw.sqlite3_column_blob(select, 2));
            }

            if (rc != raw.SQLITE_DONE) Check(db, rc);
        }
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
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
            // Logical delete: the rows stay, so their sequence numbers stay taken (a stale writer conflicts on them);
            // the metadata row keeps the highest sequence number should the rows ever be purged.
            command.CommandText = """
                INSERT INTO journal_metadata (persistence_id, sequence_number) VALUES ($pid, $highest)
                ON CONFLICT (persistence_id) DO UPDATE SET sequence_number = MAX(sequence_number, excluded.sequence_number);
                UPDATE event_journal SET deleted = 1 WHERE persistence_id = $pid AND sequence_number <= $to AND deleted = 0;
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

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc & 0xff, rc);
    }

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
        var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rc = raw.sqlite3_prepare_v2(connection.Handle, Insert, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            var error = new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc & 0xff, rc);
            statement?.Dispose();
            await connection.DisposeAsync().ConfigureAwait(false);
            throw error;
        }

        insert = statement;
        return writer = connection;
    }

    private async Task DropWriterAsync()
    {
        var connection = writer;
        writer = null;
        insert?.Dispose();
        insert = null;
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
    }
}
