using System.Buffers;
using System.Data;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace MifActors.Persistence.Internal;

/// <summary>Bulk reads of the journal table, outside the writer's queue: by persistence id, or by a prefix of it.</summary>
internal interface IJournalScan
{
    Task ReadAsync(string persistenceIdOrPrefix, bool exact, JournalEventReader onEvent, CancellationToken cancellationToken);

    /// <summary>The ids under <paramref name="prefix"/> whose events have <c>after &lt; ordering &lt;= upTo</c>, grouped as a prefix read groups them.</summary>
    Task ReadRangeAsync(string prefix, long after, long upTo, JournalEventReader onEvent, CancellationToken cancellationToken);

    /// <summary>The highest ordering (position in the journal's global order) committed so far; 0 for an empty journal.</summary>
    Task<long> HighestOrderingAsync(CancellationToken cancellationToken);
}

internal static class JournalScans
{
    public static IJournalScan For(StoreSettings settings) => settings.Plugin switch
    {
        StorePlugin.Sqlite => new SqliteJournalScan(settings.ConnectionString),
        _ => new PostgreSqlJournalScan(settings.ConnectionString),
    };

    /// <summary>
    /// The exclusive upper bound of the ids starting with <paramref name="prefix"/> in ordinal (UTF-8 byte) order, so the
    /// read walks the (persistence_id, sequence_number) index from one end of the range to the other.
    /// </summary>
    public static string UpperBound(string prefix) => prefix + char.MaxValue;
}

/// <summary>
/// SQLite: one statement over the unique index, stepped through SQLitePCL's raw API so payloads are lent as spans.
/// Consecutive rows mostly share their persistence id and manifest: bytes are compared and the string reused.
/// </summary>
internal sealed class SqliteJournalScan(string connectionString) : IJournalScan
{
    private const string ByPrefix = """
        SELECT persistence_id, sequence_number, manifest, payload FROM event_journal
        WHERE persistence_id >= ?1 AND persistence_id < ?2 AND deleted = 0
        ORDER BY persistence_id, sequence_number
        """;

    private const string ById = """
        SELECT persistence_id, sequence_number, manifest, payload FROM event_journal
        WHERE persistence_id = ?1 AND deleted = 0
        ORDER BY sequence_number
        """;

    // The primary key's range first: after a snapshot the tail is small, whatever the journal's size.
    private const string ByRange = """
        SELECT persistence_id, sequence_number, manifest, payload FROM event_journal
        WHERE ordering > ?3 AND ordering <= ?4 AND persistence_id >= ?1 AND persistence_id < ?2 AND deleted = 0
        ORDER BY persistence_id, sequence_number
        """;

    private readonly SqliteConnections connections = new(connectionString);

    public Task ReadAsync(string persistenceIdOrPrefix, bool exact, JournalEventReader onEvent, CancellationToken cancellationToken) =>
        ReadAsync(exact ? ById : ByPrefix, persistenceIdOrPrefix, exact, 0, 0, onEvent, cancellationToken);

    public Task ReadRangeAsync(string prefix, long after, long upTo, JournalEventReader onEvent, CancellationToken cancellationToken) =>
        ReadAsync(ByRange, prefix, exact: false, after, upTo, onEvent, cancellationToken);

    public async Task<long> HighestOrderingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT coalesce(max(ordering), 0) FROM event_journal";
        return (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task ReadAsync(string sql, string persistenceIdOrPrefix, bool exact, long after, long upTo, JournalEventReader onEvent,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var select));
        using (select)
        {
            raw.sqlite3_bind_text(select, 1, persistenceIdOrPrefix);
            if (!exact) raw.sqlite3_bind_text(select, 2, JournalScans.UpperBound(persistenceIdOrPrefix));
            if (sql == ByRange)
            {
                raw.sqlite3_bind_int64(select, 3, after);
                raw.sqlite3_bind_int64(select, 4, upTo);
            }

            var id = new ReusedText();
            var manifest = new ReusedText();
            int rc;
            while ((rc = raw.sqlite3_step(select)) == raw.SQLITE_ROW)
            {
                cancellationToken.ThrowIfCancellationRequested();
                onEvent(id.Of(raw.sqlite3_column_blob(select, 0)), raw.sqlite3_column_int64(select, 1), manifest.Of(raw.sqlite3_column_blob(select, 2)),
                    raw.sqlite3_column_blob(select, 3));
            }

            if (rc != raw.SQLITE_DONE) Check(db, rc);
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc & 0xff, rc);
    }

    /// <summary>The last text read, decoded again only when its bytes change.</summary>
    private sealed class ReusedText
    {
        private byte[] bytes = [];
        private string text = "";

        public string Of(ReadOnlySpan<byte> utf8)
        {
            if (utf8.SequenceEqual(bytes)) return text;
            bytes = utf8.ToArray();
            return text = Encoding.UTF8.GetString(bytes);
        }
    }
}

/// <summary>PostgreSQL: one query over the unique index, read sequentially; payloads copied into one rented buffer.</summary>
internal sealed class PostgreSqlJournalScan(string connectionString) : IJournalScan
{
    private readonly PostgreSqlConnections connections = new(connectionString);

    public Task ReadAsync(string persistenceIdOrPrefix, bool exact, JournalEventReader onEvent, CancellationToken cancellationToken) =>
        ReadAsync(persistenceIdOrPrefix, exact, null, onEvent, cancellationToken);

    public Task ReadRangeAsync(string prefix, long after, long upTo, JournalEventReader onEvent, CancellationToken cancellationToken) =>
        ReadAsync(prefix, exact: false, (after, upTo), onEvent, cancellationToken);

    public async Task<long> HighestOrderingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT coalesce(max(ordering), 0) FROM event_journal";
        return (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task ReadAsync(string persistenceIdOrPrefix, bool exact, (long After, long UpTo)? range, JournalEventReader onEvent,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        // COLLATE "C": byte order, as the bound assumes, whatever the database's collation.
        select.CommandText = exact
            ? "SELECT persistence_id, sequence_number, manifest, payload FROM event_journal WHERE persistence_id = $1 AND deleted = false ORDER BY sequence_number"
            : $"""
              SELECT persistence_id, sequence_number, manifest, payload FROM event_journal
              WHERE persistence_id COLLATE "C" >= $1 AND persistence_id COLLATE "C" < $2 AND deleted = false
              {(range is null ? "" : "AND ordering > $3 AND ordering <= $4")}
              ORDER BY persistence_id COLLATE "C", sequence_number
              """;
        select.Parameters.Add(new NpgsqlParameter { Value = persistenceIdOrPrefix });
        if (!exact) select.Parameters.Add(new NpgsqlParameter { Value = JournalScans.UpperBound(persistenceIdOrPrefix) });
        if (range is { } r)
        {
            select.Parameters.Add(new NpgsqlParameter { Value = r.After });
            select.Parameters.Add(new NpgsqlParameter { Value = r.UpTo });
        }

        await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var id = "";
        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var read = reader.GetString(0);
                if (read != id) id = read;
                var seq = reader.GetInt64(1);
                var manifest = reader.GetString(2);
                onEvent(id, seq, manifest, PostgreSqlJournalStore.ReadPayload(reader, 3, ref buffer));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
