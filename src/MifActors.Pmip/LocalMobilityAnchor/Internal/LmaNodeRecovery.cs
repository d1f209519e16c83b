using Microsoft.Extensions.Logging;
using MifActors.Pmip.Internal;
using MifActors.Pmip.State;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// Brings an LMA's MNs back from its newest readable node snapshot plus the events after it (or from the whole journal
/// when there is none), and writes the next snapshot the same way: the last snapshot and the events since, folded MN by
/// MN. Both run off the LMA's thread.
/// </summary>
internal static class LmaNodeRecovery
{
    public static string SnapshotId(string node) => $"{node}/snapshot";

    /// <summary>
    /// Folds every MN into <paramref name="recovery"/>: the snapshot's state first, each MN's later events on top.
    /// A snapshot that does not parse is logged and skipped for an older one; the position it was taken at is the result
    /// (0 when the whole journal was read).
    /// </summary>
    public static async ValueTask<long> RecoverAsync(IMobilityStateStore store, string node, LmaMobileNodeRecovery recovery, ILogger? log,
        long upTo = long.MaxValue)
    {
        var prefix = MobileNodeNames.PersistencePrefix(node);
        await foreach (var (position, snapshot) in store.LoadSnapshotsAsync(SnapshotId(node)).ConfigureAwait(false))
        {
            if (position > upTo) continue;
            // The tail after the snapshot is small (snapshot-after-events bounds it), so it waits in memory while the
            // snapshot streams past and each MN takes its later events as it comes by.
            var tail = new Dictionary<string, List<object>>(StringComparer.Ordinal);
            var order = new List<string>();
            var reading = store.ReplayRangeAsync(prefix, position, upTo, (id, @event) =>
            {
                if (!tail.TryGetValue(id, out var events))
                {
                    tail[id] = events = [];
                    order.Add(id);
                }

                events.Add(@event);
            });

            // The journal store reads the tail on other threads: check the snapshot meanwhile.
            var readable = LmaNodeSnapshot.TryCheck(snapshot, out var damage);
            await reading.ConfigureAwait(false);
            if (!readable)
            {
                log?.LogError("{Node}: the node snapshot at journal position {Position} cannot be read ({Reason}); trying an older one", node, position, damage);
                continue;
            }

            LmaNodeSnapshot.Read(snapshot, recovery, id =>
            {
                if (!tail.Remove(id, out var events)) return;
                foreach (var @event in events) recovery.Add(id, @event);
            });

            foreach (var id in order)
            {
                if (!tail.TryGetValue(id, out var events)) continue;
                foreach (var @event in events) recovery.Add(id, @event);
            }

            return position;
        }

        if (upTo == long.MaxValue) await store.ReplayAllAsync(prefix, recovery.Add).ConfigureAwait(false);
        else await store.ReplayRangeAsync(prefix, 0, upTo, recovery.Add).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Writes a snapshot of every MN at the store's current position, unless fewer than <paramref name="afterEvents"/>
    /// events came since <paramref name="lastPosition"/>; returns the position it was taken at, or null if it was not.
    /// </summary>
    public static async Task<long?> TakeSnapshotAsync(IMobilityStateStore store, string node, long lastPosition, int afterEvents, ILogger? log)
    {
        var position = await store.DurablePositionAsync().ConfigureAwait(false);
        if (position - lastPosition < afterEvents) return null;
        var writer = new LmaNodeSnapshot.Writer();
        var fold = new LmaMobileNodeRecovery(node, null, DateTimeOffset.MinValue, writer);
        await RecoverAsync(store, node, fold, log, upTo: position).ConfigureAwait(false);
        fold.Complete();
        await store.SaveSnapshotAsync(SnapshotId(node), position, writer.ToArray()).ConfigureAwait(false);
        return position;
    }
}
