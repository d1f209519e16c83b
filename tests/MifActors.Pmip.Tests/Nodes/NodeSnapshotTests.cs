using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Pmip.Internal;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.State;
using MifActors.Pmip.Wire;
using static MifActors.Pmip.KillTarget.SnapshotWorkload;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>
/// LMA node snapshots (<see cref="LmaNodeRecovery"/>): recovering from the newest snapshot plus the events after it
/// must give exactly what reading the whole journal gives: the same routes, the same dormant MNs, the same MNs to start
/// at once and the same lapses. Over the in-memory store and the SQLite journal.
/// </summary>
public sealed class NodeSnapshotTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly string file = Path.Combine(Path.GetTempPath(), "mifactors-snapshot-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly List<ActorSystem> systems = [];

    public static TheoryData<string> Stores => ["memory", "sqlite"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Recovery_from_a_snapshot_and_the_events_after_it_equals_recovery_from_the_whole_journal(string kind)
    {
        var store = Store(kind);
        var history = new History(store);
        for (var i = 0; i < 40; i++) await history.Attach(i);
        await history.Persist(9, new FhrqIssued(2, Wifi, FhrqPurpose.Handover, 60, Flows(9), "www", null));

        Assert.NotNull(await LmaNodeRecovery.TakeSnapshotAsync(store, "lma", 0, 1, null));

        // After the snapshot: every kind of change to MNs it holds, and MNs it does not.
        await history.Persist(3, new BceRemoved(Wifi, 2, 0, "de-registered"));
        await history.Persist(5, new FfeRemoved([Flows(5)[0]], "ceased"));
        await history.Persist(7, new BceRefreshed(Cellular, 2, 0, TimeSpan.FromMinutes(30), Now + TimeSpan.FromMinutes(30)));
        await history.Persist(9, new FfeCreated(2, Wifi, Flows(9), 60, Now + TimeSpan.FromMinutes(5), "www"));
        await history.Persist(11, new FhrqIssued(2, Cellular, FhrqPurpose.Cease, 0, Flows(11), "www", null));
        await history.Persist(13, new BceRefreshed(Wifi, 2, 0, TimeSpan.FromMinutes(1), Now - TimeSpan.FromMinutes(1)));
        for (var i = 40; i < 45; i++) await history.Attach(i);

        var fromSnapshot = await Recover(store, useSnapshots: true);
        var fromJournal = await Recover(store, useSnapshots: false);

        Assert.Equal(fromJournal, fromSnapshot);
        // The tail did change things: MN 3 lost its Wi-Fi BCE after the snapshot, MN 4 kept it.
        Assert.DoesNotContain("mn3 wifi-host -> 2001:db8:a::1", fromSnapshot, StringComparison.Ordinal);
        Assert.Contains("mn4 wifi-host -> 2001:db8:a::1", fromSnapshot, StringComparison.Ordinal);
        Assert.Contains("start-now: lma/mn/", fromSnapshot, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_second_snapshot_builds_on_the_first_and_recovery_still_equals_the_whole_journal(string kind)
    {
        var store = Store(kind);
        var history = new History(store);
        for (var i = 0; i < 10; i++) await history.Attach(i);
        var first = await LmaNodeRecovery.TakeSnapshotAsync(store, "lma", 0, 1, null);
        await history.Persist(2, new BceRemoved(Cellular, 2, 0, "expired"));
        for (var i = 10; i < 15; i++) await history.Attach(i);

        Assert.Null(await LmaNodeRecovery.TakeSnapshotAsync(store, "lma", first!.Value, 1_000, null));
        var second = await LmaNodeRecovery.TakeSnapshotAsync(store, "lma", first.Value, 1, null);
        Assert.True(second > first);
        await history.Persist(4, new FfeRemoved(Flows(4), "ceased"));

        Assert.Equal(await Recover(store, useSnapshots: false), await Recover(store, useSnapshots: true));
        var snapshots = new List<long>();
        await foreach (var (position, _) in store.LoadSnapshotsAsync(LmaNodeRecovery.SnapshotId("lma"))) snapshots.Add(position);
        Assert.Equal([second!.Value], snapshots);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_snapshot_that_cannot_be_read_is_skipped_and_the_whole_journal_is_read_instead(string kind)
    {
        var store = Store(kind);
        var history = new History(store);
        for (var i = 0; i < 10; i++) await history.Attach(i);
        var good = new LmaNodeSnapshot.Writer();
        var fold = new LmaMobileNodeRecovery("lma", null, Now, good);
        await LmaNodeRecovery.RecoverAsync(store, "lma", fold, null);
        fold.Complete();
        var cut = good.ToArray()[..^9];
        await store.SaveSnapshotAsync(LmaNodeRecovery.SnapshotId("lma"), await store.DurablePositionAsync(), cut);
        await history.Persist(1, new BceRemoved(Wifi, 2, 0, "de-registered"));

        var routing = new LmaRoutingTable();
        var recovery = new LmaMobileNodeRecovery("lma", routing, Now);
        Assert.Equal(0, await LmaNodeRecovery.RecoverAsync(store, "lma", recovery, null));
        recovery.Complete();

        Assert.Equal(await Recover(store, useSnapshots: false), Describe(routing, recovery));
    }

    [Fact]
    public async Task After_kill_9_while_snapshots_and_events_are_written_recovery_from_the_snapshot_equals_the_whole_journal()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MifActors.Pmip.KillTarget.dll"));
        start.ArgumentList.Add(file);
        start.ArgumentList.Add("snapshots");
        using (var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the kill target"))
        {
            Assert.Equal("READY", await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            // Let a few more snapshots and rounds go by, so the kill is likely to land inside one.
            await Task.Delay(TimeSpan.FromMilliseconds(700));
            child.Kill();
            await child.WaitForExitAsync();
        }

        var store = Store("sqlite");
        Assert.Equal(await Recover(store, useSnapshots: false), await Recover(store, useSnapshots: true));
    }

    [Fact]
    public void A_snapshot_with_any_byte_overwritten_or_cut_anywhere_is_checked_without_throwing()
    {
        var writer = new LmaNodeSnapshot.Writer();
        var fold = new LmaMobileNodeRecovery("lma", null, Now, writer);
        var id = MobileNodeNames.PersistenceId("lma", MobileNode(1));
        fold.Add(id, new BceCreated(Cellular, new HomeNetworkPrefix(Host(1, 0xc), 64), IPAddress.Parse("10.0.0.7"), AccessTechnologyType.EUtran, 1, 0,
            TimeSpan.FromMinutes(10), Now));
        fold.Add(id, new FfeCreated(1, Wifi, Flows(1), 60, Now, null));
        fold.Add(id, new FhrqIssued(2, Wifi, FhrqPurpose.Cease, 0, Flows(1), null, null));
        fold.Complete();
        var good = writer.ToArray();
        Assert.True(LmaNodeSnapshot.TryCheck(good, out _));

        var damaged = 0;
        for (var i = 0; i < good.Length; i++)
        {
            var overwritten = good.ToArray();
            overwritten[i] = 0xFF;
            if (!LmaNodeSnapshot.TryCheck(overwritten, out _)) damaged++;
            Assert.False(LmaNodeSnapshot.TryCheck(good[..i], out var damage));
            Assert.NotEmpty(damage);
        }

        Assert.True(damaged > 0);
    }

    [Fact]
    public void A_snapshot_round_trips_BCEs_with_IPv4_home_addresses_wildcard_FFEs_and_FHRQs_in_flight()
    {
        var writer = new LmaNodeSnapshot.Writer();
        var id = MobileNodeNames.PersistenceId("lma", MobileNode(1));
        var wildcard = new FlowTuple(FlowAddress.IPv4(IPAddress.Parse("192.0.2.1")), FlowAddress.AnyIPv4, 80, 0, PhbId.Default, PhbId.Default);
        var source = new LmaMobileNodeRecovery("lma", null, Now, writer);
        source.Add(id, new BceCreated(Cellular, null, IPAddress.Parse("10.0.0.7"), AccessTechnologyType.EUtran, 1, 0, TimeSpan.FromMinutes(10), Now));
        source.Add(id, new FfeCreated(1, Wifi, [wildcard], 60, Now + TimeSpan.FromMinutes(1), null));
        source.Add(id, new FhrqIssued(2, Wifi, FhrqPurpose.Cease, 0, [wildcard], null, null));
        source.Complete();

        var routing = new LmaRoutingTable();
        var recovery = new LmaMobileNodeRecovery("lma", routing, Now - TimeSpan.FromHours(1));
        LmaNodeSnapshot.Read(writer.ToArray(), recovery, _ => { });
        recovery.Complete();

        Assert.Equal(Wifi, routing.Route(wildcard with { Destination = FlowAddress.IPv4(IPAddress.Parse("10.0.0.7")), DestinationPort = 9 }));
        Assert.Equal(Cellular, routing.Route(wildcard with { Destination = FlowAddress.IPv4(IPAddress.Parse("10.0.0.7")), SourcePort = 81 }));
        Assert.Equal([id], recovery.StartNow);
    }

    public void Dispose()
    {
        foreach (var system in systems) system.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(file + suffix);
            }
            catch (IOException)
            {
                // still held by a closing connection; the temp folder gets cleaned eventually
            }
        }
    }

    private IMobilityStateStore Store(string kind)
    {
        if (kind == "memory") return new InMemoryMobilityStateStore();
        var system = ActorSystem.Create("snapshots", new ActorSystemOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["mifactors:persistence:journal:plugin"] = "sqlite",
                ["mifactors:persistence:journal:sqlite:connection-string"] = $"Data Source={file}",
                ["mifactors:persistence:snapshot-store:plugin"] = "sqlite",
                ["mifactors:persistence:snapshot-store:sqlite:connection-string"] = $"Data Source={file}",
            }).Build(),
        });
        systems.Add(system);
        return new JournalMobilityStateStore(system);
    }

    private static async Task<string> Recover(IMobilityStateStore store, bool useSnapshots)
    {
        var routing = new LmaRoutingTable();
        var recovery = new LmaMobileNodeRecovery("lma", routing, Now);
        if (useSnapshots) Assert.NotEqual(0, await LmaNodeRecovery.RecoverAsync(store, "lma", recovery, null));
        else await store.ReplayAllAsync(MobileNodeNames.PersistencePrefix("lma"), recovery.Add);
        recovery.Complete();
        return Describe(routing, recovery);
    }

    /// <summary>Everything recovery decides, as text: a difference shows up as a readable diff.</summary>
    private static string Describe(LmaRoutingTable routing, LmaMobileNodeRecovery recovery)
    {
        var text = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            var flows = Flows(i);
            text.AppendLine($"mn{i} flow0 -> {routing.Route(flows[0]).Address}");
            text.AppendLine($"mn{i} flow1 -> {routing.Route(flows[1]).Address}");
            text.AppendLine($"mn{i} other-port -> {routing.Route(flows[0] with { DestinationPort = 1 }).Address}");
            text.AppendLine($"mn{i} wifi-host -> {routing.Route(flows[0] with { Destination = FlowAddress.Host(Host(i, 0xb)) }).Address}");
        }

        foreach (var id in recovery.Dormant.Order(StringComparer.Ordinal)) text.AppendLine($"dormant: {id}");
        foreach (var id in recovery.StartNow.Order(StringComparer.Ordinal)) text.AppendLine($"start-now: {id}");
        foreach (var (id, at) in recovery.Lapses.UnorderedItems.OrderBy(l => l.Element, StringComparer.Ordinal)) text.AppendLine($"lapse: {id} {at:O}");
        foreach (var mag in recovery.Mags.Select(m => m.Address.ToString()).Order(StringComparer.Ordinal)) text.AppendLine($"mag: {mag}");
        foreach (var (mag, ids) in recovery.ForwardingThrough.OrderBy(p => p.Key.Address.ToString(), StringComparer.Ordinal))
            text.AppendLine($"through {mag.Address}: {string.Join(",", ids.Order(StringComparer.Ordinal))}");
        return text.ToString();
    }

    /// <summary>Numbers each MN's events as its actor would.</summary>
    private sealed class History(IMobilityStateStore store)
    {
        private readonly Dictionary<int, long> sequences = [];

        public async Task Attach(int i)
        {
            var lifetime = TimeSpan.FromMinutes(10 + i);
            await Persist(i, new BceCreated(Cellular, new HomeNetworkPrefix(Host(i, 0xc), 64), null, AccessTechnologyType.EUtran, 1, 0, lifetime, Now + lifetime));
            await Persist(i, new BceCreated(Wifi, new HomeNetworkPrefix(Host(i, 0xb), 64), null, AccessTechnologyType.Ieee80211, 1, 0, lifetime, Now + lifetime));
            await Persist(i, new FhrqIssued(1, Wifi, FhrqPurpose.Handover, 60, Flows(i), "www", null));
            if (i % 4 != 1) await Persist(i, new FfeCreated(1, Wifi, Flows(i), 60, Now + TimeSpan.FromMinutes(i + 1), "www"));
        }

        public async Task Persist(int i, object @event)
        {
            var sequence = sequences.GetValueOrDefault(i) + 1;
            sequences[i] = sequence;
            await store.PersistAsync(MobileNodeNames.PersistenceId("lma", MobileNode(i)), sequence, @event);
        }
    }
}
