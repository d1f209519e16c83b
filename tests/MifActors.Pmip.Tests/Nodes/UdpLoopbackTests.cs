using System.Net;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.State;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

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
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(PmipLab.Configuration()).Build();
        using var lmaSocket = new UdpMobilityTransport(new IPEndPoint(LmaAddress, 0));
        using var cellularSocket = new UdpMobilityTransport(new IPEndPoint(CellularAddress, 0));
        using var wifiSocket = new UdpMobilityTransport(new IPEndPoint(WifiAddress, 0));
        lmaSocket.AddPeer(CellularAddress, cellularSocket.LocalEndPoint.Port);
        lmaSocket.AddPeer(WifiAddress, wifiSocket.LocalEndPoint.Port);
        cellularSocket.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);
        wifiSocket.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);

        await using var lmaSystem = ActorSystem.Create("lma-node", new ActorSystemOptions { Configuration = configuration });
        await using var magSystem = ActorSystem.Create("mag-node", new ActorSystemOptions { Configuration = configuration });
        var lmaAssociations = new MobilitySecurityAssociations();
        lmaAssociations.Add(CellularAddress, 0x200, PmipLab.CellularKey);
        lmaAssociations.Add(WifiAddress, 0x100, PmipLab.WifiKey);
        var lma = Lma.Start(lmaSystem, lmaSocket, lmaAssociations, new InMemoryMobilityStateStore());
        var cellular = Mag.Start(magSystem, cellularSocket, PmipLab.MagAssociationsFor(LmaAddress, PmipLab.CellularKey, 0x200),
            new InMemoryMobilityStateStore(), LmaAddress, AccessTechnologyType.EUtran, name: "mag-cellular");
        var wifi = Mag.Start(magSystem, wifiSocket, PmipLab.MagAssociationsFor(LmaAddress, PmipLab.WifiKey, 0x100),
            new InMemoryMobilityStateStore(), LmaAddress, AccessTechnologyType.Ieee80211, name: "mag-wifi");

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
        Assert.Equal(0, lma.Counters.Errors);
        Assert.Equal(0, wifi.Counters.Errors);
    }

    /// <summary>Real sockets, real time: poll, but give up after a generous bound rather than assert on how long it took.</summary>
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }
}
