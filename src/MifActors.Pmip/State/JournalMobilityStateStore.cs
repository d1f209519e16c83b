using System.Threading.Channels;
using MifActors.Actors;
using MifActors.Persistence;
using MifActors.Pmip.State.Internal;

namespace MifActors.Pmip.State;

/// <summary>
/// The MN actors' events in the system's journal (<c>mifactors.persistence</c>: SQLite or PostgreSQL), each under its
/// <c>[PersistentManifest("pmip.….v1")]</c> name. A write goes straight onto the journal's group-commit queue and
/// completes once durable; nothing keeps a second copy of the events in memory. A node started again over the same
/// database reads all its MNs back in one sequential scan. One store per actor system.
/// </summary>
public sealed class JournalMobilityStateStore : IMobilityStateStore
{
    private const int ReplayChunk = 4_096;
    private const string SnapshotManifest = "pmip.node-snapshot.v1";

    private readonly JournalEvents journal;
    private readonly TimeSpan timeout;

    /// <param name="system">The system whose journal to use.</param>
    /// <param name="timeout">How long a write or a load may take before the MN actor fails and restarts.</param>
    public JournalMobilityStateStore(ActorSystem system, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        journal = JournalEvents.Get(system);
        this.timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public ValueTask PersistAsync(string persistenceId, long sequenceNr, object @event)
    {
        var (manifest, payload) = MobilityEventSerializer.Serialize(@event);
        return new ValueTask(journal.AppendAsync(persistenceId, sequenceNr, manifest, payload).WaitAsync(timeout));
    }

    /// <summary>
    /// Appends many events in one transaction, all or none (bulk loading: a benchmark's population, an import);
    /// each as <see cref="PersistAsync"/> would number it. The caller sizes the batch: it is one transaction, whatever
    /// <c>max-rows-per-transaction</c> says. Not for MN actors, which persist one event at a time.
    /// </summary>
    public Task PersistAllAsync(IReadOnlyList<(string PersistenceId, long SequenceNr, object Event)> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var rows = new JournalEvent[events.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var (persistenceId, sequenceNr, @event) = events[i];
            var (manifest, payload) = MobilityEventSerializer.Serialize(@event);
            rows[i] = new JournalEvent(persistenceId, sequenceNr, manifest, payload);
        }

        return journal.AppendAllAsync(rows).WaitAsync(timeout);
    }

    public async ValueTask<IReadOnlyList<object>> LoadAsync(string persistenceId)
    {
        var events = new List<object>();
        await journal.ReadAsync(persistenceId, (id, seq, manifest, payload) => events.Add(MobilityEventSerializer.Deserialize(id, seq, manifest, payload)))
            .WaitAsync(timeout).ConfigureAwait(false);
        return events;
    }

    /// <summary>
    /// No timeout: reading a million MNs takes what it takes, and the node waits for it anyway. Parsing the JSON is most
    /// of the cost, so it runs in chunks on the pool while the scan reads on (a second core halves the time), and the
    /// chunks are handed to <paramref name="onEvent"/> in order, on one thread.
    /// </summary>
    public ValueTask ReplayAllAsync(string prefix, Action<string, object> onEvent) =>
        new(ReplayAsync(reader => journal.ReadAllAsync(prefix, reader), onEvent));

    /// <summary>
    /// No timeout, as <see cref="ReplayAllAsync"/>, and decoded the same way: the tail after a snapshot is up to
    /// <c>snapshot-after-events</c> events, and it runs while the caller checks the snapshot.
    /// </summary>
    public ValueTask ReplayRangeAsync(string prefix, long after, long upTo, Action<string, object> onEvent) =>
        new(ReplayAsync(reader => journal.ReadAllAsync(prefix, after, upTo, reader), onEvent));

    private Task ReplayAsync(Func<JournalEventReader, Task> read, Action<string, object> onEvent) => Task.Run(async () =>
    {
        var chunks = Channel.CreateBounded<Task<(string Id, object Event)[]>>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            try
            {
                var chunk = new List<StoredEvent>(ReplayChunk);
                await read((id, seq, manifest, payload) =>
                {
                    chunk.Add(new StoredEvent(id, seq, manifest, payload.ToArray()));
                    if (chunk.Count < ReplayChunk) return;
                    var full = chunk;
                    chunk = new List<StoredEvent>(ReplayChunk);
                    // Blocks the scan while the decoders are 8 chunks behind: memory stays bounded whatever the journal's size.
                    chunks.Writer.WriteAsync(Task.Run(() => Decode(full))).AsTask().GetAwaiter().GetResult();
                }).ConfigureAwait(false);
                if (chunk.Count > 0) await chunks.Writer.WriteAsync(Task.Run(() => Decode(chunk))).ConfigureAwait(false);
                chunks.Writer.Complete();
            }
            catch (Exception e)
            {
                chunks.Writer.Complete(e);
            }
        });

        try
        {
            await foreach (var decoding in chunks.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                foreach (var (id, @event) in await decoding.ConfigureAwait(false)) onEvent(id, @event);
            }
        }
        catch
        {
            // A bad event ends the pass: close the channel so a scan waiting for room stops too.
            chunks.Writer.TryComplete();
            throw;
        }

        await reading.ConfigureAwait(false);
    });

    public async ValueTask<long> DurablePositionAsync() => await journal.DurablePositionAsync().WaitAsync(timeout).ConfigureAwait(false);

    /// <summary>No timeout: a million MNs' snapshot is a large row. The older snapshots go only once this one is stored.</summary>
    public async ValueTask SaveSnapshotAsync(string snapshotId, long position, byte[] snapshot)
    {
        await journal.SaveSnapshotAsync(snapshotId, position, SnapshotManifest, snapshot).ConfigureAwait(false);
        await journal.DeleteSnapshotsBeforeAsync(snapshotId, position).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<(long Position, byte[] Snapshot)> LoadSnapshotsAsync(string snapshotId)
    {
        await foreach (var (position, manifest, payload) in journal.LoadSnapshotsAsync(snapshotId).ConfigureAwait(false))
        {
            if (manifest == SnapshotManifest) yield return (position, payload);
        }
    }

    private static (string Id, object Event)[] Decode(List<StoredEvent> chunk)
    {
        var events = new (string, object)[chunk.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var stored = chunk[i];
            events[i] = (stored.Id, MobilityEventSerializer.Deserialize(stored.Id, stored.SequenceNr, stored.Manifest, stored.Payload));
        }

        return events;
    }

    private readonly record struct StoredEvent(string Id, long SequenceNr, string Manifest, byte[] Payload);
}
