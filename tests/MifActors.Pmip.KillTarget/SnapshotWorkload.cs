using System.Net;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.KillTarget;

/// <summary>
/// The MNs, MAGs, addresses and flows the node-snapshot tests and the snapshot kill target both use: one definition, so
/// what the killed process wrote and what the test expects to recover cannot drift apart.
/// </summary>
public static class SnapshotWorkload
{
    public static MagAddress Cellular { get; } = new(IPAddress.Parse("2001:db8:c::1"));

    public static MagAddress Wifi { get; } = new(IPAddress.Parse("2001:db8:a::1"));

    public static MobileNodeIdentifier MobileNode(int i) => MobileNodeIdentifier.Nai($"mn{i}@snapshot.example");

    /// <summary>MN <paramref name="i"/>'s address in the prefix it has at the MAG numbered <paramref name="mag"/>.</summary>
    public static IPAddress Host(int i, int mag) => IPAddress.Parse($"2001:db8:{mag:x}:{i + 1:x}::100");

    public static FlowTuple[] Flows(int i)
    {
        var server = FlowAddress.Host(IPAddress.Parse("2001:db8:ffff::80"));
        var mn = FlowAddress.Host(Host(i, 0xc));
        return
        [
            new FlowTuple(server, mn, 443, 40_000, PhbId.Default, PhbId.Default),
            // every third MN's second flow is a wildcard one: any source port
            new FlowTuple(server, mn, i % 3 == 0 ? (ushort)0 : (ushort)443, 40_001, PhbId.Default, PhbId.Default),
        ];
    }
}
