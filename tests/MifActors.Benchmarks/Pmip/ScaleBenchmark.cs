using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Persistence;
using MifActors.Pmip.Internal;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.State;
using MifActors.Pmip.State.Internal;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Benchmarks.Pmip;

/// <summary>
/// Issue #5's scale target: one LMA with N MNs, each with 2 BCEs (a cellular and a Wi-Fi MAG, each its own HNP) and 2
/// FFEs (two flows moved to Wi-Fi). The journal is filled through the state store (the events the LMA's MN actors would
/// write, not the signalling that leads to them: a million PBU/FHRQ exchanges would take longer than the whole run),
/// with a node snapshot taken after 95% of them; then a new actor system starts an LMA over the same database and the
/// clock runs until every MN routes as before (snapshot plus the events after it). The sections time the pass over the
/// whole journal, without actors and without the snapshot, part by part.
/// Memory is measured in that recovered system, after a full GC.
/// </summary>
public sealed class ScaleBenchmark : IBenchmark
{
    private static readonly IPAddress Cellular = IPAddress.Parse("2001:db8:ffff::c");
    private static readonly IPAddress Wifi = IPAddress.Parse("2001:db8:ffff::a");
    private static readonly FlowAddress Server = FlowAddress.Host(IPAddress.Parse("2001:db8:ffff::1"));

    public string Name => "pmip-scale";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var mobileNodes = Environment.GetEnvironmentVariable("PMIP_SCALE_MNS") is { } count ? int.Parse(count, CultureInfo.InvariantCulture)
            : options.Quick ? 20_000 : 1_000_000;
        var file = Path.Combine(Path.GetTempPath(), "mifactors-scale-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            foreach (var result in RunStore("sqlite", "Data Source=" + file, mobileNodes)) yield return result;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
        }
    }

    private static IEnumerable<BenchResult> RunStore(string plugin, string connectionString, int mobileNodes)
    {
        var prefix = $"pmip-scale/{plugin}/";
        TimeSpan snapshotWrite;
        double populateRate;
        var snapshotBytes = 0;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mifactors:persistence:journal:plugin"] = plugin,
            [$"mifactors:persistence:journal:{plugin}:connection-string"] = connectionString,
            ["mifactors:persistence:snapshot-store:plugin"] = plugin,
            [$"mifactors:persistence:snapshot-store:{plugin}:connection-string"] = connectionString,
        }).Build();

        // A node snapshot after 95% of the MNs; the last 5% (200,000 events at 1 M MNs: lma.snapshot-after-events, the
        // most a restart reads past a snapshot) come after it, so recovery reads the snapshot and a full-size tail.
        var snapshotAt = mobileNodes - mobileNodes / 20;
        var watch = Stopwatch.StartNew();
        using (var writing = ActorSystem.Create("scale-write", new ActorSystemOptions { Configuration = configuration }))
        {
            var store = new JournalMobilityStateStore(writing, TimeSpan.FromMinutes(5));
            Populate(store, 0, snapshotAt).GetAwaiter().GetResult();
            var populating = watch.Elapsed;
            watch.Restart();
            LmaNodeRecovery.TakeSnapshotAsync(store, "lma", 0, 1, null).GetAwaiter().GetResult();
            snapshotWrite = watch.Elapsed;
            watch.Restart();
            Populate(store, snapshotAt, mobileNodes).GetAwaiter().GetResult();
            populating += watch.Elapsed;
            populateRate = 4.0 * mobileNodes / populating.TotalSeconds;
            foreach (var (_, snapshot) in store.LoadSnapshotsAsync(LmaNodeRecovery.SnapshotId("lma")).ToBlockingEnumerable()) snapshotBytes = snapshot.Length;
        }

        yield return new BenchResult(prefix + "populate-events", populateRate, "events/s");
        yield return new BenchResult(prefix + "snapshot-write", snapshotWrite.TotalSeconds, "s");
        yield return new BenchResult(prefix + "snapshot-size", snapshotBytes / 1e6, "MB");
        // PMIP_SCALE_SECTIONS=0 skips them: at 1 M MNs they take minutes and leave the heap warm for the timed recovery.
        if (Environment.GetEnvironmentVariable("PMIP_SCALE_SECTIONS") != "0")
        {
            foreach (var section in RecoverySections(configuration, mobileNodes)) yield return section;
        }

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var system = ActorSystem.Create("scale-recover", new ActorSystemOptions { Configuration = configuration });
        var associations = new MobilitySecurityAssociations();
        associations.Add(Cellular, 0x200, new byte[32]);
        associations.Add(Wifi, 0x100, new byte[32]);
        watch.Restart();
        var lma = Lma.Start(system, new InMemoryMobilityNetwork().Attach(IPAddress.Parse("2001:db8:ffff::1a")), associations,
            new JournalMobilityStateStore(system, TimeSpan.FromMinutes(5)));
        var back = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (back < mobileNodes)
        {
            while (back < mobileNodes && RoutesAsBefore(lma, back)) back++;
            if (back == mobileNodes) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {back} of {mobileNodes} MNs route as before after 10 minutes");
            Thread.Sleep(20);
        }

        var recovery = watch.Elapsed;
        // Every MN again, now that the last is back: one that came back early must not have been lost since.
        var routed = Enumerable.Range(0, mobileNodes).Count(i => RoutesAsBefore(lma, i));
        if (routed != mobileNodes) throw new InvalidOperationException($"{routed} of {mobileNodes} MNs route as before after recovery");
        yield return new BenchResult(prefix + "recovery", recovery.TotalSeconds, "s");
        yield return new BenchResult(prefix + "recovery-rate", mobileNodes / recovery.TotalSeconds, "MNs/s");

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using (var self = Process.GetCurrentProcess()) yield return new BenchResult(prefix + "working-set", self.WorkingSet64 / 1e6, "MB");
        yield return new BenchResult(prefix + "managed-heap", heap / 1e6, "MB");
        yield return new BenchResult(prefix + "bytes-per-mn", (heap - baseline) / (double)mobileNodes, "B");

        // The actors' own view agrees with the routing table, for a sample.
        for (var i = 0; i < mobileNodes; i += Math.Max(1, mobileNodes / 50))
        {
            var state = lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(MobileNode(i)), TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
            if (state.Bindings.Count != 2 || state.FlowForwardingEntries.Count != 2)
            {
                throw new InvalidOperationException(
                    $"MN {i} recovered with {state.Bindings.Count} BCEs and {state.FlowForwardingEntries.Count} FFEs; expected 2 and 2");
            }
        }

        yield return new BenchResult(prefix + "mobile-nodes", mobileNodes, "MNs");
    }

    /// <summary>
    /// What the MN actors write for a PBU from each MAG and one handover of two flows to Wi-Fi, in bulk: 100,000 events
    /// a transaction, the next batch serialized while the last one commits (one append per event took minutes).
    /// </summary>
    private static async Task Populate(JournalMobilityStateStore store, int first, int end)
    {
        var now = DateTimeOffset.UtcNow;
        var lifetime = TimeSpan.FromHours(1);
        const int Batch = 25_000;
        Task? committing = null;
        for (var from = first; from < end; from += Batch)
        {
            var events = new List<(string, long, object)>(4 * Batch);
            for (var i = from; i < Math.Min(end, from + Batch); i++)
            {
                var persistenceId = MobileNodeNames.PersistenceId("lma", MobileNode(i));
                var flows = Flows(i);
                events.Add((persistenceId, 1, new BceCreated(new MagAddress(Cellular), new HomeNetworkPrefix(Prefix(i, 0xa000), 64), null,
                    AccessTechnologyType.EUtran, 1, 0, lifetime, now + lifetime)));
                events.Add((persistenceId, 2, new BceCreated(new MagAddress(Wifi), new HomeNetworkPrefix(Prefix(i, 0xb000), 64), null,
                    AccessTechnologyType.Ieee80211, 1, 0, lifetime, now + lifetime)));
                events.Add((persistenceId, 3, new FhrqIssued(1, new MagAddress(Wifi), FhrqPurpose.Handover, 3600, flows, "www", null)));
                events.Add((persistenceId, 4, new FfeCreated(1, new MagAddress(Wifi), flows, 3600, now + lifetime, "www")));
            }

            var next = store.PersistAllAsync(events);
            if (committing is not null) await committing;
            committing = next;
        }

        if (committing is not null) await committing;
    }

    /// <summary>
    /// Where recovery's time goes, each part alone and without actors: the journal scan with nothing done per event,
    /// the scan with every event decoded on the reading thread, and the store's replay folded into a fresh routing
    /// table (what the LMA does before its actor sees anything).
    /// </summary>
    private static IEnumerable<BenchResult> RecoverySections(IConfiguration configuration, int mobileNodes)
    {
        var prefix = MobileNodeNames.PersistencePrefix("lma");
        using var system = ActorSystem.Create("scale-sections", new ActorSystemOptions { Configuration = configuration });
        var journal = JournalEvents.Get(system);
        var watch = Stopwatch.StartNew();
        long events = 0;
        journal.ReadAllAsync(prefix, (_, _, _, _) => events++).GetAwaiter().GetResult();
        yield return new BenchResult("pmip-scale/section/scan", watch.Elapsed.TotalSeconds, "s");
        yield return new BenchResult("pmip-scale/section/scan-rate", events / watch.Elapsed.TotalSeconds, "events/s");

        watch.Restart();
        journal.ReadAllAsync(prefix, (id, seq, manifest, payload) => MobilityEventSerializer.Deserialize(id, seq, manifest, payload)).GetAwaiter().GetResult();
        yield return new BenchResult("pmip-scale/section/scan-and-decode", watch.Elapsed.TotalSeconds, "s");

        watch.Restart();
        var paused = GC.GetTotalPauseDuration();
        LmaMobileNodeRecovery? recovery = new("lma", new LmaRoutingTable(), DateTimeOffset.UtcNow);
        long folding = 0;
        new JournalMobilityStateStore(system, TimeSpan.FromMinutes(5)).ReplayAllAsync(prefix, (id, @event) =>
        {
            var start = Stopwatch.GetTimestamp();
            recovery.Add(id, @event);
            folding += Stopwatch.GetTimestamp() - start;
        }).AsTask().GetAwaiter().GetResult();
        recovery.Complete();
        yield return new BenchResult("pmip-scale/section/replay-and-fold", watch.Elapsed.TotalSeconds, "s");
        yield return new BenchResult("pmip-scale/section/fold-alone", Stopwatch.GetElapsedTime(0, folding).TotalSeconds, "s");
        yield return new BenchResult("pmip-scale/section/replay-gc-pauses", (GC.GetTotalPauseDuration() - paused).TotalSeconds, "s");
        if (recovery.Dormant.Count != mobileNodes) throw new InvalidOperationException($"the fold kept {recovery.Dormant.Count} of {mobileNodes} MNs");
        // An iterator keeps its locals: let this table go before the next is built, or GC scans both.
        recovery = null;
        GC.Collect();

        // The same without the journal: the snapshot's row read, then folded into a fresh routing table.
        var store = new JournalMobilityStateStore(system, TimeSpan.FromMinutes(5));
        watch.Restart();
        byte[]? snapshot = store.LoadSnapshotsAsync(LmaNodeRecovery.SnapshotId("lma")).ToBlockingEnumerable().First().Snapshot;
        yield return new BenchResult("pmip-scale/section/snapshot-load", watch.Elapsed.TotalSeconds, "s");
        watch.Restart();
        paused = GC.GetTotalPauseDuration();
        LmaMobileNodeRecovery? fromSnapshot = new("lma", new LmaRoutingTable(), DateTimeOffset.UtcNow);
        LmaNodeSnapshot.Read(snapshot, fromSnapshot, _ => { });
        fromSnapshot.Complete();
        var folded = watch.Elapsed;
        fromSnapshot = null;
        snapshot = null;
        yield return new BenchResult("pmip-scale/section/snapshot-fold", folded.TotalSeconds, "s");
        yield return new BenchResult("pmip-scale/section/snapshot-fold-gc-pauses", (GC.GetTotalPauseDuration() - paused).TotalSeconds, "s");
        var tail = 0L;
        watch.Restart();
        store.ReplayRangeAsync(prefix, store.LoadSnapshotsAsync(LmaNodeRecovery.SnapshotId("lma")).ToBlockingEnumerable().First().Position, long.MaxValue,
            (_, _) => tail++).AsTask().GetAwaiter().GetResult();
        yield return new BenchResult("pmip-scale/section/tail-read-and-decode", watch.Elapsed.TotalSeconds, "s");
        yield return new BenchResult("pmip-scale/section/tail-events", tail, "events");
    }

    private static bool RoutesAsBefore(Lma lma, int i)
    {
        var flows = Flows(i);
        var onCellular = flows[0] with { DestinationPort = 50_000 };
        var onWifi = flows[0] with { Destination = FlowAddress.Host(Host(Prefix(i, 0xb000))) };
        return lma.Route(flows[0]).Address.Equals(Wifi) && lma.Route(flows[1]).Address.Equals(Wifi)
            && lma.Route(onCellular).Address.Equals(Cellular) && lma.Route(onWifi).Address.Equals(Wifi);
    }

    private static MobileNodeIdentifier MobileNode(int i) => MobileNodeIdentifier.Nai($"mn{i}@scale.example");

    /// <summary>The MN's HNP on one MAG: 2001:db8:KHHH:LLLL::/64, K telling the MAG apart, H and L the MN's number.</summary>
    private static IPAddress Prefix(int i, int mag)
    {
        var bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = 0xb8;
        bytes[4] = (byte)((mag | (i >> 16)) >> 8);
        bytes[5] = (byte)(i >> 16);
        bytes[6] = (byte)(i >> 8);
        bytes[7] = (byte)i;
        return new IPAddress(bytes);
    }

    private static IPAddress Host(IPAddress prefix)
    {
        var bytes = prefix.GetAddressBytes();
        bytes[15] = 1;
        return new IPAddress(bytes);
    }

    private static FlowTuple[] Flows(int i)
    {
        var mn = FlowAddress.Host(Host(Prefix(i, 0xa000)));
        return
        [
            new FlowTuple(Server, mn, 443, 40_000, PhbId.Default, PhbId.Default),
            new FlowTuple(Server, mn, 443, 40_001, PhbId.Default, PhbId.Default),
        ];
    }
}
