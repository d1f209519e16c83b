using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Pmip.Internal;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.State;
using MifActors.Pmip.Wire;
using static MifActors.Pmip.KillTarget.SnapshotWorkload;

namespace MifActors.Pmip.KillTarget;

/// <summary>
/// The process the snapshot kill -9 test kills: MNs keep writing events (attach, refresh, de-register, FFEs) from
/// several tasks while node snapshots are taken one after another, so the kill lands in the middle of a snapshot, of a
/// batch, or between them. Prints READY once the first snapshot is stored. MN names, addresses and flows come from
/// <see cref="SnapshotWorkload"/>, which the tests share.
/// </summary>
internal static class SnapshotTarget
{

    public static async Task RunAsync(string file)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mifactors:persistence:journal:sqlite:connection-string"] = $"Data Source={file}",
            ["mifactors:persistence:snapshot-store:sqlite:connection-string"] = $"Data Source={file}",
        }).Build();
        var system = ActorSystem.Create("snapshot-target", new ActorSystemOptions { Configuration = configuration });
        IMobilityStateStore store = new JournalMobilityStateStore(system);
        // Ten writers, each owning five MNs (as an MN actor owns its own), round after round.
        var writers = Enumerable.Range(0, 10).Select(w => Task.Run(async () =>
        {
            var sequences = new long[50];
            for (var round = 0; ; round++)
            {
                for (var i = w * 5; i < w * 5 + 5; i++)
                {
                    foreach (var @event in Round(i, round)) await store.PersistAsync(MobileNodeNames.PersistenceId("lma", MobileNode(i)), ++sequences[i], @event);
                }
            }
        })).ToArray();

        long position = 0;
        while (true)
        {
            var taken = await LmaNodeRecovery.TakeSnapshotAsync(store, "lma", position, 1, null);
            if (taken is null) continue;
            if (position == 0) Console.WriteLine("READY");
            position = taken.Value;
        }
    }

    /// <summary>Round 0 attaches and hands two flows over; later rounds refresh, drop and re-create entries in turn.</summary>
    private static IEnumerable<object> Round(int i, int round)
    {
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero) + TimeSpan.FromSeconds(round);
        var lifetime = TimeSpan.FromMinutes(10 + i);
        var flows = Flows(i);
        switch (round % 4)
        {
            case 0:
                yield return new BceCreated(Cellular, new HomeNetworkPrefix(Host(i, 0xc), 64), null, AccessTechnologyType.EUtran, 1, 0, lifetime, at + lifetime);
                yield return new BceCreated(Wifi, new HomeNetworkPrefix(Host(i, 0xb), 64), null, AccessTechnologyType.Ieee80211, 1, 0, lifetime, at + lifetime);
                yield return new FhrqIssued((ushort)(round + 1), Wifi, FhrqPurpose.Handover, 60, flows, "www", null);
                yield return new FfeCreated((ushort)(round + 1), Wifi, flows, 60, at + TimeSpan.FromMinutes(i + 1), "www");
                break;
            case 1:
                yield return new BceRefreshed(Cellular, 2, 0, lifetime, at + lifetime);
                yield return new FfeRemoved([flows[0]], "ceased");
                break;
            case 2:
                yield return new BceRemoved(Wifi, 3, 0, "de-registered");
                yield return new FhrqIssued((ushort)(round + 1), Cellular, FhrqPurpose.Cease, 0, [flows[1]], "www", null);
                break;
            default:
                yield return new FhrqCompleted((ushort)(round - 1));
                yield return new FfeRemoved([flows[1]], "ceased");
                yield return new BceRemoved(Cellular, 4, 0, "de-registered");
                break;
        }
    }
}
