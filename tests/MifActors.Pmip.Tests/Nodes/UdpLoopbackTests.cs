using System.Net;
using Akka.Actor;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;
using static MifActors.Pmip.Tests.Support.RealTime;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>
/// The handover success path over real UDP on loopback: the LMA in one actor system, both MAGs in another, each node
/// with its own socket on an ephemeral port (127.0.0.1, .2, .3: Linux answers for all of 127/8).
/// </summary>
public sealed class UdpLoopbackTests
{
    private static readonly IPAddress LmaAddress = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress CellularAddress = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress WifiAddress = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Www_moves_to_wifi_over_UDP_between_separate_LMA_and_MAG_actor_systems()
    {
        var lmaSocket = new UdpMobilityTransport(new IPEndPoint(LmaAddress, 0));
        var cellularSocket = new UdpMobilityTransport(new IPEndPoint(CellularAddress, 0));
        var wifiSocket = new UdpMobilityTransport(new IPEndPoint(WifiAddress, 0));
        lmaSocket.AddPeer(CellularAddress, cellularSocket.LocalEndPoint.Port);
        lmaSocket.AddPeer(WifiAddress, wifiSocket.LocalEndPoint.Port);
        cellularSocket.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);
        wifiSocket.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);

        using var lmaSystem = InMemorySystem("lma-node");
        using var magSystem = InMemorySystem("mag-node");
        var lmaAssociations = new MobilitySecurityAssociations();
        lmaAssociations.Add(CellularAddress, 0x200, PmipLab.CellularKey);
        lmaAssociations.Add(WifiAddress, 0x100, PmipLab.WifiKey);
        var lma = Lma.Start(lmaSystem, lmaSocket, lmaAssociations);
        var cellular = Mag.Start(magSystem, cellularSocket, PmipLab.MagAssociationsFor(LmaAddress, PmipLab.CellularKey, 0x200),
            LmaAddress, AccessTechnologyType.EUtran, name: "mag-cellular");
        var wifi = Mag.Start(magSystem, wifiSocket, PmipLab.MagAssociationsFor(LmaAddress, PmipLab.WifiKey, 0x100),
            LmaAddress, AccessTechnologyType.Ieee80211, name: "mag-wifi");

        // The LMA answers once it has listed its MNs: a PBU sent before could wait longer than the replay window.
        await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(PmipLab.MobileNode));
        cellular.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.CellularPrefix));
        wifi.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.WifiPrefix));
        await Eventually(async () => (await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(PmipLab.MobileNode))).Bindings.Count == 2);
        Assert.Equal(new MagAddress(CellularAddress), lma.Route(PmipLab.Www));

        var decision = await lma.Ref.Ask<FlowDecision>(new FlowStarted(PmipLab.MobileNode, PmipLab.Www, Protocol: 6));
        Assert.Equal(FlowDecisionKind.HandoverRequested, decision.Kind);
        await Eventually(() => Task.FromResult(lma.Route(PmipLab.Www) == new MagAddress(WifiAddress)));

        var mag = await wifi.Ref.Ask<MagMobileNodeState>(new GetMagMobileNode(PmipLab.MobileNode));
        Assert.Equal(PmipLab.Www, Assert.Single(mag.FlowForwardingEntries).Flow);
        Assert.Equal(new MagAddress(CellularAddress), lma.Route(PmipLab.Voip));
        // Nothing malformed, unauthenticated or unexpected crossed the sockets. (A PBU that a loaded machine held past
        // the 300 ms replay window is dropped as Replayed and sent again; that is the protocol working, not an error.)
        Assert.Equal(0, lma.Counters.Errors - lma.Counters.Replayed);
        Assert.Equal(0, wifi.Counters.Errors - wifi.Counters.Replayed);
    }

    [Fact]
    public async Task Security_associations_are_told_apart_by_port_when_two_MAGs_share_an_address()
    {
        // Both MAGs on 127.0.0.2, each with its own key: the LMA knows them by address and port.
        var lmaSocket = new UdpMobilityTransport(new IPEndPoint(LmaAddress, 0));
        var first = new UdpMobilityTransport(new IPEndPoint(CellularAddress, 0));
        var second = new UdpMobilityTransport(new IPEndPoint(CellularAddress, 0));
        first.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);
        second.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);
        lmaSocket.AddPeer(CellularAddress, first.LocalEndPoint.Port);
        using var lmaSystem = InMemorySystem("lma-ports");
        using var magSystem = InMemorySystem("mag-ports");
        var lmaAssociations = new MobilitySecurityAssociations();
        lmaAssociations.Add(first.LocalEndPoint, 0x200, PmipLab.CellularKey);
        lmaAssociations.Add(second.LocalEndPoint, 0x100, PmipLab.WifiKey);
        var lma = Lma.Start(lmaSystem, lmaSocket, lmaAssociations);
        // The second MAG signs with the first one's key: right address, wrong port for that key.
        var impostor = Mag.Start(magSystem, second, PmipLab.MagAssociationsFor(LmaAddress, PmipLab.CellularKey, 0x200),
            LmaAddress, AccessTechnologyType.Ieee80211, name: "mag-impostor");
        var genuine = Mag.Start(magSystem, first, PmipLab.MagAssociationsFor(LmaAddress, PmipLab.CellularKey, 0x200),
            LmaAddress, AccessTechnologyType.EUtran, name: "mag-genuine");

        impostor.Ref.Tell(new MobileNodeAttached(MobileNodeIdentifier.Nai("mn2@example.net"), PmipLab.WifiPrefix));
        genuine.Ref.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.CellularPrefix));

        await Eventually(async () => (await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(PmipLab.MobileNode))).Bindings.Count == 1);
        await Eventually(() => Task.FromResult(lma.Counters.Unauthenticated > 0));
        Assert.Empty((await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(MobileNodeIdentifier.Nai("mn2@example.net")))).Bindings);
    }
}
