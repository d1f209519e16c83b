using Microsoft.Extensions.Configuration;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>A scenario on virtual time over the in-memory network, with the lab built and the MN attached twice.</summary>
public abstract class PmipScenario : TestKit.TestKit
{
    private protected PmipScenario(ITestOutputHelper output, params (string Key, string Value)[] settings)
        : base(output, new ConfigurationBuilder().AddInMemoryCollection(PmipLab.Configuration(settings)).Build(), virtualTime: true)
    {
    }

    private protected PmipLab Lab { get; private set; } = null!;

    private protected static MobileNodeIdentifier Mn => PmipLab.MobileNode;

    private protected void Build(PmipSettings? wifiSettings = null, bool attach = true)
    {
        Lab = new PmipLab(Sys, wifiSettings);
        if (!attach) return;
        Lab.AttachBoth();
        WaitForIdle();
        Assert.Equal(2, LmaState().Bindings.Count);
    }

    /// <summary>Stops a node's whole actor tree, as a crash would; its state store survives.</summary>
    private protected void StopNode(Actors.IActorRef node)
    {
        Watch(node);
        Sys.Stop(node);
        ExpectTerminated(node);
    }

    private protected LmaMobileNodeState LmaState()
    {
        Lab.Lma.Ref.Tell(new GetLmaMobileNode(Mn), TestActor);
        return ExpectMsg<LmaMobileNodeState>();
    }

    private protected MagMobileNodeState WifiState()
    {
        Lab.Wifi.Ref.Tell(new GetMagMobileNode(Mn), TestActor);
        return ExpectMsg<MagMobileNodeState>();
    }

    private protected FlowDecision Notify(object notification)
    {
        Lab.Lma.Ref.Tell(notification, TestActor);
        var decision = ExpectMsg<FlowDecision>();
        WaitForIdle();
        return decision;
    }

    private protected FlowDecision HandOverWww() => Notify(new FlowStarted(Mn, PmipLab.Www, Protocol: 6));

    private protected MagAddress WifiMag => new(PmipLab.WifiAddress);

    private protected MagAddress CellularMag => new(PmipLab.CellularAddress);

    private protected int SentCount<T>(Func<T, bool>? match = null)
        where T : MobilityMessage => Lab.Network.Sent.Count(d => d.Message is T message && (match is null || match(message)));
}
