using System.Threading.Channels;

namespace MifActors.Persistence.Internal;

/// <summary>
/// The write path of one journal. Writes queue up while a transaction is in flight and the next transaction takes
/// everything queued (group commit): one disk sync per batch, not per event. Replays and deletes go through the same
/// queue, so they see every write sent before them. Persistent actors enqueue here directly rather than through the
/// journal actor's mailbox: one thread hop less on every persist, which is most of its cost besides the sync.
/// A store that takes concurrent transactions (PostgreSQL) gets several lanes, each its own queue and loop; a
/// persistence id always goes to the same lane, so its writes, replays and deletes keep their order, while the
/// server syncs the lanes' commits together.
/// </summary>
internal sealed class JournalWriter
{
    // Replayed events go to the actor in chunks: big enough that messages cost nothing per event, small enough that
    // the actor applies one chunk while the next is read and deserialized on another core.
    private const int ReplayChunk = 4_096;

    private static readonly InvalidOperationException EarlierFailure =
        new("an earlier write of this actor failed; it stops before writing more");

    private readonly IJournalStore store;
    private readonly Lane[] lanes;
    private readonly int maxRowsPerTransaction;
    private long transactions;
    private long rowsWritten;

    // How the writer lets the actors it just answered run before it takes the next batch: the dispatcher's own
    // signal (ActorSystem.AfterScheduledTurnsStart), since Task.Yield only queues behind them on the thread pool.
    private readonly Func<Task>? afterRepliesStart;

    public JournalWriter(IJournalStore store, int maxRowsPerTransaction, Func<Task>? afterRepliesStart = null)
    {
        this.afterRepliesStart = afterRepliesStart;
        this.store = store;
        this.maxRowsPerTransaction = maxRowsPerTransaction;
        lanes = new Lane[Math.Max(1, store.WriterLanes)];
        for (var i = 0; i < lanes.Length; i++) lanes[i] = new Lane(this);
    }

    /// <summary>Transactions committed so far (with <see cref="RowsWritten"/>: the batch size group commit reached).</summary>
    public long Transactions => Volatile.Read(ref transactions);

    public long RowsWritten => Volatile.Read(ref rowsWritten);

    /// <summary>How many transactions may run at once.</summary>
    public int LaneCount => lanes.Length;

    public void Enqueue(WriteMessages write) => LaneOf(write.Writes[0].Write.PersistenceId).Enqueue(write);

    public void Enqueue(ReplayMessages replay) => LaneOf(replay.PersistenceId).Enqueue(replay);

    public void Enqueue(DeleteMessagesTo delete) => LaneOf(delete.PersistenceId).Enqueue(delete);

    /// <summary>Completes once every write enqueued before this call, in every lane, is committed or has failed.</summary>
    public Task BarrierAsync()
    {
        var passed = new Task[lanes.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            var barrier = new JournalBarrier(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            lanes[i].Enqueue(barrier);
            passed[i] = barrier.Passed.Task;
        }

        return Task.WhenAll(passed);
    }

    /// <summary>Finishes what is queued, then closes the store.</summary>
    public void Complete()
    {
        foreach (var lane in lanes) lane.Complete();
        _ = Task.WhenAll(lanes.Select(l => l.Loop)).ContinueWith(_ => store.DisposeAsync().AsTask(), TaskScheduler.Default);
    }

    private Lane LaneOf(string persistenceId) =>
        lanes.Length == 1 ? lanes[0] : lanes[(uint)string.GetHashCode(persistenceId) % (uint)lanes.Length];

    private void Count(List<AtomicWrite> written)
    {
        var rows = 0;
        foreach (var write in written) rows += write.Rows.Count;
        Interlocked.Increment(ref transactions);
        Interlocked.Add(ref rowsWritten, rows);
    }

    /// <summary>One queue and the loop that drains it into transactions.</summary>
    private sealed class Lane
    {
        private readonly JournalWriter journal;
        private readonly IJournalStore store;
        // Synchronous continuations: an enqueue that finds the loop idle runs it on the enqueuing thread (usually a
        // persistent actor's, at the end of its turn) instead of waking a pool thread: one actor awaiting each event
        // persists without a thread hop to the writer. The loop hands itself to the pool (the yield below) whenever
        // more is queued after a batch, so it never holds an actor's thread for more than one transaction.
        private readonly Channel<object> queue = Channel.CreateUnbounded<object>(
            new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });

        public Lane(JournalWriter journal)
        {
            this.journal = journal;
            store = journal.store;
            Loop = Task.Run(RunAsync);
        }

        public Task Loop { get; }

        public void Enqueue(object operation) => queue.Writer.TryWrite(operation);

        public void Complete() => queue.Writer.TryComplete();

        private async Task RunAsync()
        {
            var reader = queue.Reader;
            var batch = new List<WriteMessages>();
            var writes = new List<AtomicWrite>();
            var failedInstances = new HashSet<long>();
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var rows = 0;
                while (rows < journal.maxRowsPerTransaction && reader.TryRead(out var op))
                {
                    if (op is WriteMessages write)
                    {
                        batch.Add(write);
                        rows += write.RowCount;
                        continue;
                    }

                    await FlushAsync(batch, writes, failedInstances).ConfigureAwait(false);
                    rows = 0;
                    switch (op)
                    {
                        case ReplayMessages replay:
                            _ = Task.Run(() => ReplayAsync(replay));
                            break;
                        case DeleteMessagesTo delete:
                            await DeleteAsync(delete).ConfigureAwait(false);
                            break;
                        case JournalBarrier barrier:
                            barrier.Passed.TrySetResult();
                            break;
                    }
                }

                var actors = batch.Count;
                await FlushAsync(batch, writes, failedInstances).ConfigureAwait(false);
                // The replies just scheduled many actors; let them run before taking the next batch, so their next writes travel together instead of trickling into many small transactions.
                // One actor alone skips this and keeps its latency.
                if (actors > 1 || reader.TryPeek(out _))
                {
                    if (journal.afterRepliesStart is { } after) await after().ConfigureAwait(false);
                    else await Task.Yield();
                }
            }
        }

        private async Task FlushAsync(List<WriteMessages> batch, List<AtomicWrite> writes, HashSet<long> failedInstances)
        {
            if (batch.Count == 0) return;
            // A writer that failed once writes nothing more: a later success would leave a gap before it.
            if (failedInstances.Count > 0)
            {
                batch.RemoveAll(w =>
                {
                    if (!failedInstances.Contains(w.InstanceId)) return false;
                    Fail(w, EarlierFailure);
                    return true;
                });
            }

            try
            {
                if (batch.Count == 0) return;
                foreach (var write in batch)
                {
                    foreach (var pending in write.Writes) writes.Add(pending.Write);
                }

                await store.WriteAsync(writes, CancellationToken.None).ConfigureAwait(false);
                journal.Count(writes);
                foreach (var write in batch) Succeed(write);
            }
            catch (Exception e) when (batch.Count == 1)
            {
                failedInstances.Add(batch[0].InstanceId);
                Fail(batch[0], e);
            }
            catch (Exception)
            {
                // Find who caused it: one transaction per actor, so one conflicting writer does not fail the others.
                foreach (var write in batch)
                {
                    if (failedInstances.Contains(write.InstanceId))
                    {
                        Fail(write, EarlierFailure);
                        continue;
                    }

                    try
                    {
                        writes.Clear();
                        foreach (var pending in write.Writes) writes.Add(pending.Write);
                        await store.WriteAsync(writes, CancellationToken.None).ConfigureAwait(false);
                        journal.Count(writes);
                        Succeed(write);
                    }
                    catch (Exception single)
                    {
                        failedInstances.Add(write.InstanceId);
                        Fail(write, single);
                    }
                }
            }
            finally
            {
                batch.Clear();
                writes.Clear();
            }
        }

        /// <summary>One reply per run of writes with the same sender (usually one per actor per batch), not one per event.</summary>
        private static void Succeed(WriteMessages write)
        {
            var pending = write.Writes;
            for (var i = 0; i < pending.Count; i++)
            {
                if (i + 1 < pending.Count && ReferenceEquals(pending[i + 1].Sender, pending[i].Sender)) continue;
                write.PersistentActor.Tell(new WriteMessagesSuccess(pending[i].Write.HighestSequenceNr, write.InstanceId), pending[i].Sender);
            }
        }

        private static void Fail(WriteMessages write, Exception cause)
        {
            var first = write.Writes[0];
            write.PersistentActor.Tell(new WriteMessagesFailure(first.Write.LowestSequenceNr, cause, write.InstanceId), first.Sender);
        }

        private async Task ReplayAsync(ReplayMessages replay)
        {
            try
            {
                var chunk = new List<ReplayedEvent>(ReplayChunk);
                await store.ReplayEventsAsync(replay.PersistenceId, replay.FromSequenceNr, replay.ToSequenceNr, replay.Max, (seq, manifest, payload) =>
                {
                    chunk.Add(new ReplayedEvent(seq, PersistentSerializer.Deserialize(manifest, payload, replay.PersistenceId, seq)));
                    if (chunk.Count == ReplayChunk)
                    {
                        replay.PersistentActor.Tell(new ReplayedMessages(chunk, replay.InstanceId));
                        chunk = new List<ReplayedEvent>(ReplayChunk);
                    }
                }, CancellationToken.None).ConfigureAwait(false);

                if (chunk.Count > 0) replay.PersistentActor.Tell(new ReplayedMessages(chunk, replay.InstanceId));
                var highest = await store.ReadHighestSequenceNrAsync(replay.PersistenceId, CancellationToken.None).ConfigureAwait(false);
                replay.PersistentActor.Tell(new ReplaySuccess(highest, replay.InstanceId));
            }
            catch (Exception e)
            {
                replay.PersistentActor.Tell(new ReplayFailure(e, replay.InstanceId));
            }
        }

        private async Task DeleteAsync(DeleteMessagesTo delete)
        {
            try
            {
                await store.DeleteMessagesToAsync(delete.PersistenceId, delete.ToSequenceNr, CancellationToken.None).ConfigureAwait(false);
                delete.PersistentActor.Tell(new DeleteMessagesSuccess(delete.ToSequenceNr));
            }
            catch (Exception e)
            {
                delete.PersistentActor.Tell(new DeleteMessagesFailure(e, delete.ToSequenceNr));
            }
        }
    }
}
