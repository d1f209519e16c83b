using Akka.Actor;
using Akka.TestKit;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>
/// A scenario on virtual time (Akka's TestScheduler) over the in-memory network and Akka.Persistence.TestKit's journal,
/// with the lab built and the MN attached twice.
/// </summary>
public abstract class PmipScenario : Akka.TestKit.Xunit2.TestKit
{
    private protected PmipScenario(ITestOutputHelper output, params (string Key, string Value)[] settings)
        : base(PmipTestConfig.Scenario(settings), "pmip", output)
    {
    }

    private protected PmipLab Lab { get; private set; } = null!;

    private protected static MobileNodeIdentifier Mn => PmipLab.MobileNode;

    private protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private protected void Build(PmipSettings? wifiSettings = null, bool attach = true)
    {
        Lab = new PmipLab(Sys, wifiSettings);
        if (!attach) return;
        Lab.AttachBoth();
        Settle();
        Assert.Equal(2, LmaState().Bindings.Count);
    }

    /// <summary>Lets every consequence of what the test did run to its end (see <see cref="PmipLab.Settle"/>).</summary>
    private protected void Settle() => Lab.Settle(this);

    /// <summary>Moves virtual time on, one due timer at a time, settling after each.</summary>
    private protected void Advance(TimeSpan by) => VirtualTime.Advance(Scheduler, by, Settle);

    /// <summary>Stops a node's whole actor tree, as a crash would; its journal survives.</summary>
    private protected void StopNode(IActorRef node)
    {
        Watch(node);
        Sys.Stop(node);
        ExpectTerminated(node);
        Lab.Stopped(node);
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
        Settle();
        return decision;
    }

    private protected FlowDecision HandOverWww() => Notify(new FlowStarted(Mn, PmipLab.Www, Protocol: 6));

    private protected MagAddress WifiMag => new(PmipLab.WifiAddress);

    private protected MagAddress CellularMag => new(PmipLab.CellularAddress);

    private protected int SentCount<T>(Func<T, bool>? match = null)
        where T : MobilityMessage => Lab.Network.Sent.Count(d => d.Message is T message && (match is null || match(message)));

    /// <summary>The events the journal holds for the MN at one node.</summary>
    private protected IReadOnlyList<object> Events(string node, MobileNodeIdentifier? mobileNode = null) =>
        PmipLab.Events(this, Internal.MobileNodeNames.PersistenceId(node, mobileNode ?? Mn));
}
