using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.MobilityAccessGateway.Internal;
using MifActors.Pmip.State;
using MifActors.Pmip.State.Internal;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>
/// The nodes over the persistence module's SQLite journal: a whole actor system goes away (all memory state lost, as
/// in a process crash) and a new one over the same database file recovers every BCE, BULE and FFE. Real time, since
/// journal writes run outside the actors; the waits poll with a generous bound and assert nothing about durations.
/// </summary>
public sealed class JournalRecoveryTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), "mifactors-pmip-" + Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public async Task Bindings_and_FFEs_survive_a_restart_of_the_whole_node_system_over_the_same_journal()
    {
        await using (var before = System("before"))
        {
            var (lma, cellular, wifi) = Start(before);
            cellular.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.CellularPrefix));
            wifi.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.WifiPrefix));
            await Eventually(async () => (await LmaState(lma)).Bindings.Count == 2);
            Assert.Equal(FlowDecisionKind.HandoverRequested,
                (await lma.Ref.Ask<FlowDecision>(new FlowStarted(PmipLab.MobileNode, PmipLab.Www, Protocol: 6))).Kind);
            await Eventually(() => Task.FromResult(lma.Route(PmipLab.Www) == new MagAddress(PmipLab.WifiAddress)));
            await Eventually(async () => (await MagState(wifi)).FlowForwardingEntries.Count == 1);
        }

        await using var after = System("after");
        var (lmaAgain, _, wifiAgain) = Start(after);

        await Eventually(() => Task.FromResult(lmaAgain.Route(PmipLab.Www) == new MagAddress(PmipLab.WifiAddress)));
        var lmaState = await LmaState(lmaAgain);
        Assert.Equal(2, lmaState.Bindings.Count);
        Assert.Equal(PmipLab.Www, Assert.Single(lmaState.FlowForwardingEntries).Flow);
        var magState = await MagState(wifiAgain);
        Assert.True(magState.Binding is { Registered: true });
        Assert.Equal(PmipLab.Www, Assert.Single(magState.FlowForwardingEntries).Flow);
        Assert.Equal((ushort)1, magState.LastHandledSequence);

        Assert.Equal(FlowDecisionKind.CeaseRequested, (await lmaAgain.Ref.Ask<FlowDecision>(new FlowEnded(PmipLab.MobileNode, PmipLab.Www))).Kind);
        await Eventually(async () => (await MagState(wifiAgain)).FlowForwardingEntries.Count == 0);
        Assert.Equal((ushort)2, (await MagState(wifiAgain)).LastHandledSequence);
        Assert.Equal(new MagAddress(PmipLab.CellularAddress), lmaAgain.Route(PmipLab.Www));
    }

    [Fact]
    public async Task An_LMA_that_went_down_mid_handover_resends_the_FHRQ_from_the_journal_and_the_MAG_applies_it_once()
    {
        await using (var before = System("before"))
        {
            var network = new InMemoryMobilityNetwork();
            var (lma, cellular, wifi) = Start(before, network);
            cellular.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.CellularPrefix));
            wifi.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.WifiPrefix));
            await Eventually(async () => (await LmaState(lma)).Bindings.Count == 2);
            network.Drop(d => d.Message is FlowHandoverReply, count: int.MaxValue);
            await lma.Ref.Ask<FlowDecision>(new FlowStarted(PmipLab.MobileNode, PmipLab.Www, Protocol: 6));
            await Eventually(async () => (await MagState(wifi)).FlowForwardingEntries.Count == 1);
            Assert.Equal(1, (await LmaState(lma)).PendingRequests);
        }

        await AssertTheHandoverCompletesAfterRecovery();
    }

    [Fact]
    public async Task After_kill_9_mid_handover_the_nodes_recover_from_the_journal_and_complete_the_handover_once()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MifActors.Pmip.KillTarget.dll"));
        start.ArgumentList.Add(file);
        using (var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the kill target"))
        {
            Assert.Equal("READY", await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            child.Kill();
            await child.WaitForExitAsync();
        }

        await AssertTheHandoverCompletesAfterRecovery();
    }

    private async Task AssertTheHandoverCompletesAfterRecovery()
    {
        await using var after = System("after");
        var (lmaAgain, _, wifiAgain) = Start(after);

        await Eventually(() => Task.FromResult(lmaAgain.Route(PmipLab.Www) == new MagAddress(PmipLab.WifiAddress)));
        var lmaState = await LmaState(lmaAgain);
        Assert.Equal(0, lmaState.PendingRequests);
        Assert.Equal(2, lmaState.Bindings.Count);
        var magState = await MagState(wifiAgain);
        Assert.Equal(1, magState.FhrqsApplied);
        Assert.True(magState.Binding is { Registered: true });
        Assert.Equal(PmipLab.Www, Assert.Single(magState.FlowForwardingEntries).Flow);
    }

    [Fact]
    public void Every_event_round_trips_through_its_journal_form()
    {
        var mag = new MagAddress(PmipLab.WifiAddress);
        var flows = new[] { PmipLab.Www, PmipLab.Voip with { Source = FlowAddress.AnyIPv6, SourcePort = 0 },
            new FlowTuple(FlowAddress.IPv4(IPAddress.Parse("192.0.2.1")), FlowAddress.AnyIPv4, 80, 0, PhbId.Default, PhbId.FromDscp(10)) };
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        object[] events =
        [
            new BceCreated(mag, PmipLab.WifiPrefix, IPAddress.Parse("10.0.0.7"), AccessTechnologyType.Ieee80211, 7, 123456789, TimeSpan.FromMinutes(10), at),
            new BceRefreshed(mag, 8, 123456790, TimeSpan.FromMinutes(10), at),
            new BceRemoved(mag, 9, 123456791, "de-registered"),
            new FhrqIssued(3, mag, FhrqPurpose.Renewal, 60, flows, "www", 4),
            new FfeCreated(3, mag, flows, 60, at, null),
            new FfeRenewed(3, flows, 60, at),
            new FfeRemoved(flows, "ceased"),
            new FlowHandoverFailed(3, mag, flows, "FHRP status 1", at),
            new FhrqCompleted(3),
            new BuleCreated(PmipLab.WifiPrefix, null, AccessTechnologyType.Ieee80211, 1),
            new BuleRegistered(1, TimeSpan.FromMinutes(10), at),
            new BuleRemoved(2, "detached"),
            new FhrqHandled(5, FhrqOutcome.Created, flows, 60, at, FlowHandoverStatus.Success, null),
            new MagFfeRemoved(flows, "lifetime expired"),
            new UnsolicitedReplySent(2, 0, flows),
        ];

        foreach (var @event in events)
        {
            var (manifest, payload) = MobilityEventSerializer.Serialize(@event);
            var back = MobilityEventSerializer.Deserialize("lma/mn/1:00", 1, manifest, payload);
            Assert.Equal(@event.GetType(), back.GetType());
            Assert.Equal(payload, MobilityEventSerializer.Serialize(back).Payload);
            Assert.StartsWith("pmip.", manifest);
        }

        var (issuedManifest, issuedPayload) = MobilityEventSerializer.Serialize(events[3]);
        Assert.Equal(flows, ((FhrqIssued)MobilityEventSerializer.Deserialize("lma/mn/1:00", 1, issuedManifest, issuedPayload)).Flows);
    }

    [Fact]
    public void Events_journalled_in_the_envelope_of_earlier_builds_are_read_back()
    {
        // As the journal actor of earlier builds stored it: the event's JSON (a MAG as an object) inside an envelope.
        const string Refreshed = """{"Mag":{"Address":"2001:db8:a::1"},"Sequence":8,"Timestamp":1,"Lifetime":"00:10:00","ExpiresAt":"2026-01-01T00:00:00+00:00"}""";
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new { Manifest = "pmip.lma.bce-refreshed.v1", Json = Refreshed });

        var back = Assert.IsType<BceRefreshed>(MobilityEventSerializer.Deserialize("lma/mn/1:00", 4, "pmip.event.v1", envelope));

        Assert.Equal(new MagAddress(IPAddress.Parse("2001:db8:a::1")), back.Mag);
        Assert.Equal((ushort)8, back.Sequence);
    }

    [Fact]
    public void A_stored_event_that_is_not_valid_names_its_persistence_id_and_number()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            MobilityEventSerializer.Deserialize("lma/mn/1:00", 7, "pmip.lma.ffe-created.v1", "{\"Sequence\":"u8));

        Assert.Contains("\"lma/mn/1:00\", event 7", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
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

    private ActorSystem System(string name) => ActorSystem.Create(name, new ActorSystemOptions
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(PmipLab.Configuration())
        {
            ["mifactors:persistence:journal:plugin"] = "sqlite",
            ["mifactors:persistence:journal:sqlite:connection-string"] = $"Data Source={file}",
            ["mifactors:persistence:snapshot-store:plugin"] = "sqlite",
            ["mifactors:persistence:snapshot-store:sqlite:connection-string"] = $"Data Source={file}",
        }).Build(),
    });

    private static (Lma Lma, Mag Cellular, Mag Wifi) Start(ActorSystem system, InMemoryMobilityNetwork? network = null)
    {
        network ??= new InMemoryMobilityNetwork();
        var store = new JournalMobilityStateStore(system);
        var lma = Lma.Start(system, network.Attach(PmipLab.LmaAddress), PmipLab.LmaAssociations(), store);
        var cellular = Mag.Start(system, network.Attach(PmipLab.CellularAddress), PmipLab.MagAssociations(PmipLab.CellularKey, 0x200), store,
            PmipLab.LmaAddress, AccessTechnologyType.EUtran, name: "mag-cellular");
        var wifi = Mag.Start(system, network.Attach(PmipLab.WifiAddress), PmipLab.MagAssociations(PmipLab.WifiKey, 0x100), store,
            PmipLab.LmaAddress, AccessTechnologyType.Ieee80211, name: "mag-wifi");
        return (lma, cellular, wifi);
    }

    private static Task<LmaMobileNodeState> LmaState(Lma lma) => lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(PmipLab.MobileNode));

    private static Task<MagMobileNodeState> MagState(Mag mag) => mag.Ref.Ask<MagMobileNodeState>(new GetMagMobileNode(PmipLab.MobileNode));

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(20);
        }
    }
}
