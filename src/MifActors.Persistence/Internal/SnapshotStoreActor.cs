using MifActors.Actors;

namespace MifActors.Persistence.Internal;

/// <summary>The snapshot store of one actor system; each request runs on its own task and answers by message.</summary>
internal sealed class SnapshotStoreActor : ReceiveActor
{
    private readonly ISnapshotStore store;

    public SnapshotStoreActor(StoreSettings settings)
    {
        store = Stores.Snapshots(settings);
        Receive<LoadSnapshot>(load => _ = Task.Run(() => LoadAsync(load)));
        Receive<SaveSnapshotRequest>(save => _ = Task.Run(() => SaveAsync(save)));
        Receive<DeleteSnapshotsRequest>(delete => _ = Task.Run(() => DeleteAsync(delete)));
    }

    protected override void PostStop() => _ = store.DisposeAsync().AsTask();

    private async Task LoadAsync(LoadSnapshot load)
    {
        try
        {
            SnapshotOffer? offer = null;
            if (load.Criteria.MaxSequenceNr > 0)
            {
                await foreach (var row in store.LoadAsync(load.PersistenceId, load.Criteria, CancellationToken.None).ConfigureAwait(false))
                {
                    var snapshot = PersistentSerializer.DeserializeSnapshot(row.Manifest, row.Payload, row.PersistenceId, row.SequenceNr);
                    offer = new SnapshotOffer(new SnapshotMetadata(row.PersistenceId, row.SequenceNr, SnapshotTime.FromStored(row.Created)), snapshot);
                    break;
                }
            }

            load.PersistentActor.Tell(new LoadSnapshotResult(offer, load.InstanceId));
        }
        catch (Exception e)
        {
            load.PersistentActor.Tell(new LoadSnapshotFailed(e, load.InstanceId));
        }
    }

    private async Task SaveAsync(SaveSnapshotRequest save)
    {
        try
        {
            await store.SaveAsync(save.Row, CancellationToken.None).ConfigureAwait(false);
            save.PersistentActor.Tell(new SaveSnapshotSuccess(save.Metadata));
        }
        catch (Exception e)
        {
            save.PersistentActor.Tell(new SaveSnapshotFailure(save.Metadata, e));
        }
    }

    private async Task DeleteAsync(DeleteSnapshotsRequest delete)
    {
        try
        {
            await store.DeleteAsync(delete.PersistenceId, delete.Criteria, CancellationToken.None).ConfigureAwait(false);
            delete.PersistentActor.Tell(new DeleteSnapshotsSuccess(delete.Criteria));
        }
        catch (Exception e)
        {
            delete.PersistentActor.Tell(new DeleteSnapshotsFailure(delete.Criteria, e));
        }
    }
}
