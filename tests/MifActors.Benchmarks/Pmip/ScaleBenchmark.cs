using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Pmip.Internal;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.State;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Benchmarks.Pmip;

/// <summary>
/// Issue #5's scale target: one LMA with N MNs, each with 2 BCEs (a cellular and a Wi-Fi MAG, each its own HNP) and 2
/// FFEs (two flows moved to Wi-Fi). The journal is filled through the state store (the events the LMA's MN actors would
/// write, not the signalling that leads to them: a million PBU/FHRQ exchanges would take longer than the whole run),
/// then a new actor system starts an LMA over the same database and the clock runs until every MN routes as before.
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
        var mobileNodes = options.Quick ? 20_000 : 1_000_000;
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
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mifactors:persistence:journal:plugin"] = plugin,
            [$"mifactors:persistence:journal:{plugin}:connection-string"] = connectionString,
            ["mifactors:persistence:snapshot-store:plugin"] = plugin,
            [$"mifactors:persistence:snapshot-store:{plugin}:connection-string"] = connectionString,
        }).Build();

        var watch = Stopwatch.StartNew();
        using (var writing = ActorSystem.Create("scale-write", new ActorSystemOptions { Configuration = configuration }))
        {
            Populate(new JournalMobilityStateStore(writing, TimeSpan.FromMinutes(5)), mobileNodes).GetAwaiter().GetResult();
        }

        yield return new BenchResult(prefix + "populate-events", 4.0 * mobileNodes / watch.Elapsed.TotalSeconds, "events/s");

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

    /// <summary>What the MN actors write for a PBU from each MAG and one handover of two flows to Wi-Fi.</summary>
    private static async Task Populate(IMobilityStateStore store, int mobileNodes)
    {
        var now = DateTimeOffset.UtcNow;
        var lifetime = TimeSpan.FromHours(1);
        // Each MN's four appends go out together (the journal keeps one persistence id's appends in order), from
        // several threads: an append that finds the writer idle runs its transaction on the appending thread, and
        // meanwhile the others fill the next one, so group commit takes thousands of rows rather than one.
        const int Window = 5_000;
        for (var from = 0; from < mobileNodes; from += Window)
        {
            var writes = new Task[4 * Math.Min(Window, mobileNodes - from)];
            var start = from;
            Parallel.For(from, Math.Min(mobileNodes, from + Window), i => PopulateOne(i, writes.AsSpan(4 * (i - start), 4)));
            await Task.WhenAll(writes);
        }

        void PopulateOne(int i, Span<Task> writes)
        {
            var persistenceId = MobileNodeNames.PersistenceId("lma", MobileNode(i));
            var flows = Flows(i);
            writes[0] = store.PersistAsync(persistenceId, 1, new BceCreated(new MagAddress(Cellular), new HomeNetworkPrefix(Prefix(i, 0xa000), 64), null,
                AccessTechnologyType.EUtran, 1, 0, lifetime, now + lifetime)).AsTask();
            writes[1] = store.PersistAsync(persistenceId, 2, new BceCreated(new MagAddress(Wifi), new HomeNetworkPrefix(Prefix(i, 0xb000), 64), null,
                AccessTechnologyType.Ieee80211, 1, 0, lifetime, now + lifetime)).AsTask();
            writes[2] = store.PersistAsync(persistenceId, 3, new FhrqIssued(1, new MagAddress(Wifi), FhrqPurpose.Handover, 3600, flows, "www", null)).AsTask();
            writes[3] = store.PersistAsync(persistenceId, 4, new FfeCreated(1, new MagAddress(Wifi), flows, 3600, now + lifetime, "www")).AsTask();
        }
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
