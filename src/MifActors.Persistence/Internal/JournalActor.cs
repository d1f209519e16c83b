using System.Threading.Channels;
using MifActors.Actors;
using Microsoft.Extensions.Logging;

namespace MifActors.Persistence.Internal;

/// <summary>
/// The journal of one actor system. Writes queue up while a transaction is in flight and the next transaction takes
/// everything queued (group commit): one disk sync per batch, not per event. Replays and deletes go through the same
/// queue, so they see every write sent before them.
/// </summary>
internal sealed class JournalActor : ReceiveActor
{
    private const int MaxRowsPerTransaction = 20_000;
    private const int ReplayChunk = 1_000;

    private readonly IJournalStore store;
    private readonly Channel<object> queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger log;
    private readonly Task loop;

    public JournalActor(StoreSettings settings)
        : this(Stores.Journal(settings))
    {
    }

    public JournalActor(IJournalStore store)
    {
        this.store = store;
        log = Context.GetLogger();
        ReceiveAny(message =>
        {
            if (message is JournalBarrier) message = (message, Sender);
            queue.Writer.TryWrite(message);
        });
        loop = Task.Run(RunAsync);
    }

    protected override void PostStop()
    {
        queue.Writer.TryComplete();
        _ = loop.ContinueWith(_ => store.DisposeAsync().AsTask(), TaskScheduler.Default);
    }

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        var batch = new List<WriteMessages>();
        var failedInstances = new HashSet<long>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var rows = 0;
            while (rows < MaxRowsPerTransaction && reader.TryRead(out var op))
            {
                if (op is WriteMessages write)
                {
                    batch.Add(write);
                    rows += write.RowCount;
                    continue;
                }

                await FlushAsync(batch, failedInstances).ConfigureAwait(false);
                rows = 0;
                switch (op)
                {
                    case ReplayMessages replay:
                        _ = Task.Run(() => ReplayAsync(replay));
                        break;
                    case DeleteMessagesTo delete:
                        await DeleteAsync(delete).ConfigureAwait(false);
                        break;
                    case (JournalBarrier, IActorRef replyTo):
                        replyTo.Tell(new Status.Success(null));
                        break;
                }
            }

            await FlushAsync(batch, failedInstances).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(List<WriteMessages> batch, HashSet<long> failedInstances)
    {
        if (batch.Count == 0) return;
        // A writer that failed once writes nothing more: a later success would leave a gap before it.
        batch.RemoveAll(w =>
        {
            if (!failedInstances.Contains(w.InstanceId)) return false;
            Fail(w, new InvalidOperationException("an earlier write of this actor failed; it stops before writing more"));
            return true;
        });
        try
        {
            if (batch.Count > 0)
            {
                await store.WriteAsync([.. batch.SelectMany(w => w.Writes).Select(p => p.Write)], CancellationToken.None).ConfigureAwait(false);
                foreach (var write in batch) Succeed(write);
            }
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
                    Fail(write, new InvalidOperationException("an earlier write of this actor failed; it stops before writing more"));
                    continue;
                }

                try
                {
                    await store.WriteAsync([.. write.Writes.Select(p => p.Write)], CancellationToken.None).ConfigureAwait(false);
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
        }
    }

    private static void Succeed(WriteMessages write)
    {
        foreach (var pending in write.Writes)
        {
            foreach (var row in pending.Write.Rows)
            {
                write.PersistentActor.Tell(new WriteMessageSuccess(row.SequenceNr, write.InstanceId), pending.Sender);
            }
        }
    }

    private void Fail(WriteMessages write, Exception cause)
    {
        log.LogDebug(cause, "Writing events of {PersistenceId} failed", write.Writes[0].Write.PersistenceId);
        foreach (var pending in write.Writes)
        {
            foreach (var row in pending.Write.Rows)
            {
                write.PersistentActor.Tell(new WriteMessageFailure(row.SequenceNr, cause, write.InstanceId), pending.Sender);
            }
        }
    }

    private async Task ReplayAsync(ReplayMessages replay)
    {
        try
        {
            var chunk = new List<ReplayedEvent>(ReplayChunk);
            await foreach (var row in store.ReplayAsync(replay.PersistenceId, replay.FromSequenceNr, replay.ToSequenceNr, replay.Max, CancellationToken.None).ConfigureAwait(false))
            {
                var evt = PersistentSerializer.Deserialize(row.Manifest, row.Payload, $"persistence id \"{row.PersistenceId}\", sequence number {row.SequenceNr}");
                chunk.Add(new ReplayedEvent(row.SequenceNr, evt));
                if (chunk.Count == ReplayChunk)
                {
                    replay.PersistentActor.Tell(new ReplayedMessages(chunk, replay.InstanceId));
                    chunk = new List<ReplayedEvent>(ReplayChunk);
                }
            }

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
