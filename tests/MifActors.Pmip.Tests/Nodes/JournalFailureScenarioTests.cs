using Akka.Persistence.TestKit;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.MobilityAccessGateway.Internal;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>
/// Writes that fail (Akka.Persistence.TestKit's failure injection): nothing is announced that the journal does not
/// hold, the MN actor stops (Akka.Persistence's rule), its node starts it again after <c>persistence.restart-delay</c>,
/// and the handover completes from what is durable.
/// </summary>
public sealed class JournalFailureScenarioTests(ITestOutputHelper output) : PmipScenario(output, ("flow-lifetime", "60s"))
{
    private ITestJournal Journal => TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(Lab.Settings.JournalPlugin));

    [Fact]
    public async Task A_MAG_whose_write_fails_sends_no_FHRP_and_its_restarted_MN_actor_answers_the_retransmitted_FHRQ()
    {
        Build();
        await Journal.OnWrite.FailOnType<FhrqHandled>();

        Assert.Equal(FlowDecisionKind.HandoverRequested, HandOverWww().Kind);
        Assert.Equal(0, SentCount<FlowHandoverReply>());
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
        Assert.Empty(LmaState().FlowForwardingEntries);

        await Journal.OnWrite.Pass();
        Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(2, SentCount<FlowHandoverRequest>());
        Assert.Equal(1, SentCount<FlowHandoverReply>());
        Assert.Equal(1, WifiState().FhrqsApplied);
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public async Task An_LMA_whose_FFE_write_fails_routes_nothing_new_and_its_restarted_MN_actor_completes_the_handover_from_the_journal()
    {
        Build();
        var installed = CreateTestProbe();
        Sys.EventStream.Subscribe(installed, typeof(FlowForwardingInstalled));
        await Journal.OnWrite.FailOnType<FfeCreated>();

        HandOverWww();
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
        installed.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        await Journal.OnWrite.Pass();
        Advance(Lab.Settings.RestartDelay);

        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
        Assert.Equal(PmipLab.Www, installed.ExpectMsg<FlowForwardingInstalled>().Entry.Flow);
        Assert.Equal(0, LmaState().PendingRequests);
        Assert.Equal(1, WifiState().FhrqsApplied);
        Assert.Equal(2, SentCount<FlowHandoverRequest>(r => r.SequenceNumber == 1));
    }

    [Fact]
    public async Task An_LMA_whose_BCE_write_fails_sends_no_PBA_and_the_MAG_registers_on_its_retransmission()
    {
        Build(attach: false);
        await Journal.OnWrite.FailOnType<BceCreated>();
        Lab.AttachBoth();
        Settle();
        Assert.Equal(0, SentCount<ProxyBindingAck>());

        await Journal.OnWrite.Pass();
        Advance(Lab.Settings.PbuInitialRetransmit);

        Assert.Equal(2, LmaState().Bindings.Count);
        Assert.True(WifiState().Binding is { Registered: true });
    }
}
