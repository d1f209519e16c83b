using MifActors.Testing;
using System.Text;
using MifActors.Persistence.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace MifActors.Persistence.Tests;

/// <summary><see cref="JournalEvents"/>: appends without a persistent actor, and the bulk read by prefix; per store.</summary>
public abstract class JournalEventsSpec(IConfiguration configuration) : TestKit.TestKit(configuration: configuration)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_prefix_read_returns_each_id_s_events_together_and_in_order_and_leaves_other_ids_out()
    {
        var journal = JournalEvents.Get(Sys);
        var prefix = "bulk-" + Guid.NewGuid().ToString("N") + "/";
        await Task.WhenAll(
            journal.AppendAsync(prefix + "b", 1, "test.v1", "b1"u8.ToArray()),
            journal.AppendAsync(prefix + "b", 2, "test.v1", "b2"u8.ToArray()),
            journal.AppendAsync(prefix + "a", 1, "test.v1", "a1"u8.ToArray()),
            journal.AppendAsync(prefix[..^1], 1, "test.v1", "not under the prefix"u8.ToArray())).WaitAsync(Long);

        var read = new List<string>();
        await journal.ReadAllAsync(prefix, (id, seq, manifest, payload) => read.Add($"{id[prefix.Length..]} {seq} {manifest} {Encoding.UTF8.GetString(payload)}"))
            .WaitAsync(Long);

        Assert.Equal(["a 1 test.v1 a1", "b 1 test.v1 b1", "b 2 test.v1 b2"], read);
    }

    [Fact]
    public async Task One_id_is_read_alone_and_a_taken_sequence_number_fails_the_append()
    {
        var journal = JournalEvents.Get(Sys);
        var id = "one-" + Guid.NewGuid().ToString("N");
        await journal.AppendAsync(id, 1, "test.v1", "first"u8.ToArray()).WaitAsync(Long);

        await Assert.ThrowsAsync<SequenceConflictException>(() => journal.AppendAsync(id, 1, "test.v1", "second writer"u8.ToArray()).WaitAsync(Long));
        var read = new List<string>();
        await journal.ReadAsync(id, (_, seq, _, payload) => read.Add($"{seq} {Encoding.UTF8.GetString(payload)}")).WaitAsync(Long);
        Assert.Equal(["1 first"], read);
    }

    [Fact]
    public async Task A_bulk_append_stores_all_events_or_none_of_them()
    {
        var journal = JournalEvents.Get(Sys);
        var prefix = "all-" + Guid.NewGuid().ToString("N") + "/";
        await journal.AppendAllAsync([
            new JournalEvent(prefix + "a", 1, "test.v1", "a1"u8.ToArray()),
            new JournalEvent(prefix + "a", 2, "test.v1", "a2"u8.ToArray()),
            new JournalEvent(prefix + "b", 1, "test.v1", "b1"u8.ToArray()),
        ]).WaitAsync(Long);

        await Assert.ThrowsAsync<SequenceConflictException>(() => journal.AppendAllAsync([
            new JournalEvent(prefix + "c", 1, "test.v1", "c1"u8.ToArray()),
            new JournalEvent(prefix + "b", 1, "test.v1", "b1 again"u8.ToArray()),
        ]).WaitAsync(Long));

        var read = new List<string>();
        await journal.ReadAllAsync(prefix, (id, seq, _, payload) => read.Add($"{id[prefix.Length..]} {seq} {Encoding.UTF8.GetString(payload)}")).WaitAsync(Long);
        Assert.Equal(["a 1 a1", "a 2 a2", "b 1 b1"], read);
    }

    [Fact]
    public async Task A_range_read_returns_only_the_events_after_a_durable_position_and_up_to_another()
    {
        var journal = JournalEvents.Get(Sys);
        var prefix = "range-" + Guid.NewGuid().ToString("N") + "/";
        await journal.AppendAsync(prefix + "a", 1, "test.v1", "before"u8.ToArray()).WaitAsync(Long);
        var first = await journal.DurablePositionAsync().WaitAsync(Long);
        await Task.WhenAll(
            journal.AppendAsync(prefix + "b", 1, "test.v1", "b1"u8.ToArray()),
            journal.AppendAsync(prefix + "a", 2, "test.v1", "a2"u8.ToArray())).WaitAsync(Long);
        var second = await journal.DurablePositionAsync().WaitAsync(Long);
        await journal.AppendAsync(prefix + "a", 3, "test.v1", "later"u8.ToArray()).WaitAsync(Long);

        var read = new List<string>();
        await journal.ReadAllAsync(prefix, first, second, (id, seq, _, payload) => read.Add($"{id[prefix.Length..]} {seq} {Encoding.UTF8.GetString(payload)}"))
            .WaitAsync(Long);

        Assert.True(second > first);
        Assert.Equal(["a 2 a2", "b 1 b1"], read);
    }

    [Fact]
    public async Task The_newest_snapshot_comes_first_and_older_ones_can_be_deleted()
    {
        var journal = JournalEvents.Get(Sys);
        var id = "node-" + Guid.NewGuid().ToString("N");
        await journal.SaveSnapshotAsync(id, 5, "snap.v1", "five"u8.ToArray()).WaitAsync(Long);
        await journal.SaveSnapshotAsync(id, 9, "snap.v1", "nine"u8.ToArray()).WaitAsync(Long);
        await journal.DeleteSnapshotsBeforeAsync(id, 9).WaitAsync(Long);

        var read = new List<string>();
        await foreach (var (position, manifest, payload) in journal.LoadSnapshotsAsync(id)) read.Add($"{position} {manifest} {Encoding.UTF8.GetString(payload)}");
        Assert.Equal(["9 snap.v1 nine"], read);
    }
}

public sealed class SqliteJournalEventsSpec : JournalEventsSpec
{
    private readonly string file;

    public SqliteJournalEventsSpec()
        : this(StoreConfiguration.NewSqliteFile())
    {
    }

    private SqliteJournalEventsSpec(string file)
        : base(StoreConfiguration.For("sqlite", StoreConfiguration.Sqlite(file))) => this.file = file;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        StoreConfiguration.DeleteSqlite(file);
    }
}

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlJournalEventsSpec(PostgreSqlServer server) : JournalEventsSpec(StoreConfiguration.For("postgresql", server.ConnectionString));
