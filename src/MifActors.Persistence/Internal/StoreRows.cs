namespace MifActors.Persistence.Internal;

/// <summary>One event as written to and read from the journal table.</summary>
internal sealed record JournalRow(
    string PersistenceId,
    long SequenceNr,
    long Created,
    string Manifest,
    byte[] Payload,
    string WriterUuid,
    long Ordering = 0,
    string? Tags = null);

/// <summary>The events of one Persist or PersistAll: stored together or not at all.</summary>
internal sealed record AtomicWrite(IReadOnlyList<JournalRow> Rows)
{
    public string PersistenceId => Rows[0].PersistenceId;

    public long LowestSequenceNr => Rows[0].SequenceNr;

    public long HighestSequenceNr => Rows[^1].SequenceNr;
}

/// <summary>One replayed event, handed over while the store's buffer still holds the payload.</summary>
internal delegate void ReplayedRow(long sequenceNr, string manifest, ReadOnlySpan<byte> payload);

/// <summary>One snapshot row.</summary>
internal sealed record SnapshotRow(string PersistenceId, long SequenceNr, long Created, string Manifest, byte[] Payload);

/// <summary>A journal in SQL. Writes come from one writer loop; reads may run concurrently with it.</summary>
internal interface IJournalStore : IAsyncDisposable
{
    /// <summary>How many transactions may run at once (1 for SQLite's single writer); writes of one persistence id never overlap.</summary>
    int WriterLanes { get; }

    /// <summary>Stores every write in one transaction, or none of them.</summary>
    Task WriteAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken);

    /// <summary>Reads whole rows in sequence order; deleted events are skipped.</summary>
    IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, CancellationToken cancellationToken);

    /// <summary>
    /// The recovery path of <see cref="ReplayAsync"/>: only what recovery needs, each payload lent to
    /// <paramref name="onEvent"/> without a copy.
    /// </summary>
    Task ReplayEventsAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, ReplayedRow onEvent, CancellationToken cancellationToken);

    /// <summary>The highest sequence number ever written, deletes included.</summary>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken);

    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken);
}

internal interface ISnapshotStore : IAsyncDisposable
{
    /// <summary>The newest matching snapshots first.</summary>
    IAsyncEnumerable<SnapshotRow> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken);

    Task SaveAsync(SnapshotRow snapshot, CancellationToken cancellationToken);

    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken);
}

internal static class Stores
{
    /// <summary>
    /// The journal store of <paramref name="settings"/>. Only the <see cref="JournalWriter"/> runs lanes; a caller
    /// that writes directly (a test, a benchmark) runs one.
    /// </summary>
    public static IJournalStore Journal(StoreSettings settings, int postgreSqlWriterLanes = 1) => settings.Plugin switch
    {
        StorePlugin.Sqlite => new SqliteJournalStore(settings.ConnectionString),
        _ => new PostgreSqlJournalStore(settings.ConnectionString, postgreSqlWriterLanes),
    };

    public static ISnapshotStore Snapshots(StoreSettings settings) => settings.Plugin switch
    {
        StorePlugin.Sqlite => new SqliteSnapshotStore(settings.ConnectionString),
        _ => new PostgreSqlSnapshotStore(settings.ConnectionString),
    };

    public static SequenceConflictException Conflict(AtomicWrite write, Exception inner) => new(
        $"persistence id \"{write.PersistenceId}\": sequence number {write.LowestSequenceNr} is already stored; " +
        "another writer for the same persistence id is running (or ran since this actor recovered), so this writer stops", inner);
}
