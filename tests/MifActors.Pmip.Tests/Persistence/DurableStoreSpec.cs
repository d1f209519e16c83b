using System.Diagnostics;
using Akka.Actor;
using Microsoft.Data.Sqlite;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;
using static MifActors.Pmip.Tests.Support.RealTime;

namespace MifActors.Pmip.Tests.Persistence;

/// <summary>
/// The nodes over a real Akka.Persistence.Sql store: a whole actor system goes away (all memory state lost, as in a
/// process crash, or a real process killed with SIGKILL) and a new one over the same database recovers every BCE, BULE
/// and FFE, through our serializer. Run against SQLite and PostgreSQL by the subclasses. Real time, since the journal
/// writes outside the actors; the waits poll with a generous bound and assert nothing about durations.
/// </summary>
public abstract class DurableStoreSpec
{
    private static readonly MobileNodeIdentifier Mn = PmipLab.MobileNode;

    /// <summary>The linq2db provider name.</summary>
    protected abstract string Provider { get; }

    /// <summary>The connection string of the store this test uses; the same for every call within one test.</summary>
    protected abstract string ConnectionString { get; }

    [Fact]
    public async Task Bindings_and_FFEs_survive_a_restart_of_the_whole_node_system_over_the_same_journal()
    {
        using (var before = NodeSystem("before"))
        {
            var (lma, cellular, wifi) = Start(before);
            cellular.Ref.Tell(new MobileNodeAttached(Mn, PmipLab.CellularPrefix));
            wifi.Ref.Tell(new MobileNodeAttached(Mn, PmipLab.WifiPrefix));
            await Eventually(async () => (await LmaState(lma)).Bindings.Count == 2);
            Assert.Equal(FlowDecisionKind.HandoverRequested, (await lma.Ref.Ask<FlowDecision>(new FlowStarted(Mn, PmipLab.Www, Protocol: 6))).Kind);
            await Eventually(() => Task.FromResult(lma.Route(PmipLab.Www) == new MagAddress(PmipLab.WifiAddress)));
            await Eventually(async () => (await MagState(wifi)).FlowForwardingEntries.Count == 1);
        }

        using var after = NodeSystem("after");
        var (lmaAgain, _, wifiAgain) = Start(after);

        await Eventually(() => Task.FromResult(lmaAgain.Route(PmipLab.Www) == new MagAddress(PmipLab.WifiAddress)));
        var lmaState = await LmaState(lmaAgain);
        Assert.Equal(2, lmaState.Bindings.Count);
        Assert.Equal(PmipLab.Www, Assert.Single(lmaState.FlowForwardingEntries).Flow);
        var magState = await MagState(wifiAgain);
        Assert.True(magState.Binding is { Registered: true });
        Assert.Equal(PmipLab.Www, Assert.Single(magState.FlowForwardingEntries).Flow);
        Assert.Equal((ushort)1, magState.LastHandledSequence);

        Assert.Equal(FlowDecisionKind.CeaseRequested, (await lmaAgain.Ref.Ask<FlowDecision>(new FlowEnded(Mn, PmipLab.Www))).Kind);
        await Eventually(async () => (await MagState(wifiAgain)).FlowForwardingEntries.Count == 0);
        Assert.Equal((ushort)2, (await MagState(wifiAgain)).LastHandledSequence);
        Assert.Equal(new MagAddress(PmipLab.CellularAddress), lmaAgain.Route(PmipLab.Www));
    }

    [Fact]
    public async Task An_LMA_that_went_down_mid_handover_resends_the_FHRQ_from_the_journal_and_the_MAG_applies_it_once()
    {
        using (var before = NodeSystem("before"))
        {
            var network = new InMemoryMobilityNetwork();
            var (lma, cellular, wifi) = Start(before, network);
            cellular.Ref.Tell(new MobileNodeAttached(Mn, PmipLab.CellularPrefix));
            wifi.Ref.Tell(new MobileNodeAttached(Mn, PmipLab.WifiPrefix));
            await Eventually(async () => (await LmaState(lma)).Bindings.Count == 2);
            network.Drop(d => d.Message is FlowHandoverReply, count: int.MaxValue);
            await lma.Ref.Ask<FlowDecision>(new FlowStarted(Mn, PmipLab.Www, Protocol: 6));
            await Eventually(async () => (await MagState(wifi)).FlowForwardingEntries.Count == 1);
            Assert.Equal(1, (await LmaState(lma)).PendingRequests);
        }

        await AssertTheHandoverCompletesAfterRecovery();
    }

    [Fact]
    public async Task After_kill_9_mid_handover_the_nodes_recover_from_the_journal_and_complete_the_handover_once()
    {
        using (var child = StartKillTarget("handover"))
        {
            await ReadLine(child, line => line == "READY");
            child.Kill();
            await child.WaitForExitAsync();
        }

        await AssertTheHandoverCompletesAfterRecovery();
    }

    [Fact]
    public async Task After_kill_9_while_MNs_attach_and_hand_over_every_acknowledged_BCE_and_FFE_is_back()
    {
        var bces = new List<int>();
        var ffes = new List<int>();
        using (var child = StartKillTarget("churn"))
        {
            // Kill it at a moment of its own choosing, well into the run: after the 20th acknowledged FFE.
            while (ffes.Count < 20)
            {
                var line = await ReadLine(child, line => line.StartsWith("BCE ", StringComparison.Ordinal) || line.StartsWith("FFE ", StringComparison.Ordinal));
                var (kind, number) = (line[..3], int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
                (kind == "BCE" ? bces : ffes).Add(number);
            }

            child.Kill();
            await child.WaitForExitAsync();
        }

        using var after = NodeSystem("after");
        var (lma, _, _) = Start(after);
        foreach (var i in bces)
        {
            var state = await EventuallyState(lma, MobileNodeIdentifier.Nai($"churn{i}@example.net"), s => s.Bindings.Count == 2);
            Assert.Equal(ffes.Contains(i) ? 1 : state.FlowForwardingEntries.Count, state.FlowForwardingEntries.Count);
        }

        foreach (var i in ffes) Assert.Single((await LmaState(lma, MobileNodeIdentifier.Nai($"churn{i}@example.net"))).FlowForwardingEntries);
    }

    [Fact]
    public async Task An_MN_recovers_from_its_snapshot_and_the_events_after_it()
    {
        // A snapshot after every 3 events: the LMA MN writes 2 BCEs, an FHRQ and an FFE, and then a cease (2 more).
        using (var before = NodeSystem("before", "mifactors.pmip.persistence.snapshot-after-events = 3"))
        {
            var (lma, cellular, wifi) = Start(before);
            cellular.Ref.Tell(new MobileNodeAttached(Mn, PmipLab.CellularPrefix));
            wifi.Ref.Tell(new MobileNodeAttached(Mn, PmipLab.WifiPrefix));
            await Eventually(async () => (await LmaState(lma)).Bindings.Count == 2);
            await lma.Ref.Ask<FlowDecision>(new FlowStarted(Mn, PmipLab.Www, Protocol: 6));
            await Eventually(() => Task.FromResult(lma.Route(PmipLab.Www) == new MagAddress(PmipLab.WifiAddress)));
            await lma.Ref.Ask<FlowDecision>(new FlowStarted(Mn, PmipLab.Voip, Protocol: 17, ApplicationClass: "www"));
            await Eventually(() => Task.FromResult(lma.Route(PmipLab.Voip) == new MagAddress(PmipLab.WifiAddress)));
            await Eventually(() => Task.FromResult(SnapshotCount() > 0));
        }

        using var after = NodeSystem("after");
        var (lmaAgain, _, wifiAgain) = Start(after);
        var state = await EventuallyState(lmaAgain, Mn, s => s.FlowForwardingEntries.Count == 2);
        Assert.Equal(2, state.Bindings.Count);
        Assert.Equal(0, state.PendingRequests);
        Assert.Equal(2, (await MagState(wifiAgain)).FlowForwardingEntries.Count);
        Assert.Equal(new MagAddress(PmipLab.WifiAddress), lmaAgain.Route(PmipLab.Voip));
    }

    /// <summary>Snapshots stored so far, all persistence ids together.</summary>
    protected abstract long SnapshotCount();

    private async Task AssertTheHandoverCompletesAfterRecovery()
    {
        using var after = NodeSystem("after");
        var (lmaAgain, _, wifiAgain) = Start(after);

        await Eventually(() => Task.FromResult(lmaAgain.Route(PmipLab.Www) == new MagAddress(PmipLab.WifiAddress)));
        var lmaState = await EventuallyState(lmaAgain, Mn, s => s.PendingRequests == 0);
        Assert.Equal(2, lmaState.Bindings.Count);
        var magState = await MagState(wifiAgain);
        Assert.Equal(1, magState.FhrqsApplied);
        Assert.True(magState.Binding is { Registered: true });
        Assert.Equal(PmipLab.Www, Assert.Single(magState.FlowForwardingEntries).Flow);
    }

    /// <summary>The kill target's next line that <paramref name="match"/> accepts; its log lines are skipped.</summary>
    private static async Task<string> ReadLine(Process child, Func<string, bool> match)
    {
        while (true)
        {
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException("the kill target exited before it was killed");
            if (match(line)) return line;
        }
    }

    private Process StartKillTarget(string mode)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MifActors.Pmip.KillTarget.dll"));
        start.ArgumentList.Add(Provider);
        start.ArgumentList.Add(ConnectionString);
        start.ArgumentList.Add(mode);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the kill target");
    }

    private ActorSystem NodeSystem(string name, string overrides = "") => ActorSystem.Create(name,
        Akka.Configuration.ConfigurationFactory.ParseString(overrides).WithFallback(PmipTestConfig.Durable(Provider, ConnectionString)));

    private static (Lma Lma, Mag Cellular, Mag Wifi) Start(ActorSystem system, InMemoryMobilityNetwork? network = null)
    {
        network ??= new InMemoryMobilityNetwork();
        var lma = Lma.Start(system, network.Attach(PmipLab.LmaAddress), PmipLab.LmaAssociations());
        var cellular = Mag.Start(system, network.Attach(PmipLab.CellularAddress), PmipLab.MagAssociations(PmipLab.CellularKey, 0x200),
            PmipLab.LmaAddress, AccessTechnologyType.EUtran, name: "mag-cellular");
        var wifi = Mag.Start(system, network.Attach(PmipLab.WifiAddress), PmipLab.MagAssociations(PmipLab.WifiKey, 0x100),
            PmipLab.LmaAddress, AccessTechnologyType.Ieee80211, name: "mag-wifi");
        return (lma, cellular, wifi);
    }

    private static Task<LmaMobileNodeState> LmaState(Lma lma, MobileNodeIdentifier? mobileNode = null) =>
        lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(mobileNode ?? Mn), TimeSpan.FromSeconds(10));

    private static Task<MagMobileNodeState> MagState(Mag mag) => mag.Ref.Ask<MagMobileNodeState>(new GetMagMobileNode(Mn), TimeSpan.FromSeconds(10));

    private static async Task<LmaMobileNodeState> EventuallyState(Lma lma, MobileNodeIdentifier mobileNode, Func<LmaMobileNodeState, bool> condition)
    {
        LmaMobileNodeState state = null!;
        await RealTime.Eventually(async () => condition(state = await LmaState(lma, mobileNode)));
        return state;
    }
}

/// <summary><see cref="DurableStoreSpec"/> on a SQLite file of its own per test (Microsoft.Data.Sqlite, <c>SQLite.MS</c>).</summary>
public sealed class SqliteStoreTests : DurableStoreSpec, IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), "mifactors-pmip-" + Guid.NewGuid().ToString("N") + ".db");

    protected override string Provider => "SQLite.MS";

    protected override string ConnectionString => $"Data Source={file}";

    protected override long SnapshotCount()
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = new SqliteCommand("SELECT COUNT(*) FROM snapshot", connection);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
    }
}

/// <summary><see cref="DurableStoreSpec"/> on PostgreSQL 15 (<c>PostgreSQL.15</c>): one throw-away server for the class, a database per test.</summary>
public sealed class PostgreSqlStoreTests(PostgreSqlFixture server) : DurableStoreSpec, IClassFixture<PostgreSqlFixture>
{
    private readonly string connectionString = server.NewDatabase();

    protected override string Provider => "PostgreSQL.15";

    protected override string ConnectionString => connectionString;

    protected override long SnapshotCount()
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM snapshot", connection);
        return (long)command.ExecuteScalar()!;
    }
}
