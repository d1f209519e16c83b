using Akka.Actor;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>One test per protocol path of draft-koodli-flow-handover-00 §3, on virtual time over the in-memory network.</summary>
public sealed class FlowHandoverScenarioTests(ITestOutputHelper output)
    : PmipScenario(output, ("flow-lifetime", "60s"))
{
    [Fact]
    public void Attaching_through_two_MAGs_creates_a_BCE_per_attachment_and_a_registered_BULE_at_each_MAG()
    {
        Build();
        var bindings = LmaState().Bindings.OrderBy(b => b.AccessTechnology).ToArray();
        Assert.Equal([AccessTechnologyType.Ieee80211, AccessTechnologyType.EUtran], bindings.Select(b => b.AccessTechnology));
        Assert.Equal([WifiMag, CellularMag], bindings.Select(b => b.Mag));
        Assert.Equal(PmipLab.WifiPrefix, bindings[0].Prefix);
        Assert.True(WifiState().Binding is { Registered: true });
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void Www_moves_to_wifi_while_voip_stays_on_cellular()
    {
        Build();

        Assert.Equal(FlowDecisionKind.BestMapped, Notify(new FlowStarted(Mn, PmipLab.Voip, Protocol: 17)).Kind);
        var www = HandOverWww();

        Assert.Equal(new FlowDecision(PmipLab.Www, FlowDecisionKind.HandoverRequested, WifiMag), www);
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Voip));
        Assert.Equal(1, SentCount<FlowHandoverRequest>());
    }

    [Fact]
    public void A_successful_handover_leaves_an_FFE_at_the_LMA_and_at_the_target_MAG()
    {
        Build();
        HandOverWww();

        var lma = LmaState();
        var ffe = Assert.Single(lma.FlowForwardingEntries);
        Assert.Equal((PmipLab.Www, WifiMag, (ushort)60, "www"), (ffe.Flow, ffe.Mag, ffe.Lifetime, ffe.ApplicationClass));
        Assert.Equal(0, lma.PendingRequests);
        var mag = WifiState();
        Assert.Equal(PmipLab.Www, Assert.Single(mag.FlowForwardingEntries).Flow);
        Assert.Equal(FlowHandoverStatus.Success, mag.StoredReply!.Status);
        Assert.Equal(0, Lab.Lma.Counters.Errors);
    }

    [Fact]
    public void A_target_MAG_that_cannot_admit_the_flow_answers_status_1_and_the_flow_stays_on_its_BCE()
    {
        Build(Lab0Settings() with { MagFfeCapacity = 0 });
        HandOverWww();

        var lma = LmaState();
        Assert.Empty(lma.FlowForwardingEntries);
        var failure = Assert.Single(lma.Failures);
        Assert.Equal((PmipLab.Www, WifiMag, "FHRP status 1"), (failure.Flow, failure.Mag, failure.Reason));
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(FlowHandoverStatus.Failure, WifiState().StoredReply!.Status);
    }

    [Fact]
    public void The_LMA_announces_an_installed_FFE_on_the_event_stream_once_Route_uses_it()
    {
        Build();
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(FlowForwardingInstalled));
        HandOverWww();

        var installed = probe.ExpectMsg<FlowForwardingInstalled>();
        Assert.Equal((Mn, PmipLab.Www, WifiMag, "www"), (installed.MobileNode, installed.Entry.Flow, installed.Entry.Mag, installed.Entry.ApplicationClass));
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
        // Durable first: the event that installs the FFE is in the store by the time it is announced.
        Assert.Single(Events("lma").OfType<FfeCreated>());
    }

    [Fact]
    public void The_LMA_announces_a_refused_handover_on_the_event_stream_and_announces_no_FFE()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(FlowForwardingInstalled));
        Sys.EventStream.Subscribe(probe, typeof(FlowHandoverFailureRecorded));
        Build(Lab0Settings() with { MagFfeCapacity = 0 });
        HandOverWww();

        var failed = probe.ExpectMsg<FlowHandoverFailureRecorded>();
        Assert.Equal((Mn, PmipLab.Www, WifiMag, "FHRP status 1"), (failed.MobileNode, failed.Failure.Flow, failed.Failure.Mag, failed.Failure.Reason));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_target_MAG_refuses_a_QoS_class_its_access_network_does_not_serve()
    {
        Build(Lab0Settings() with { MagAdmittedDscp = new HashSet<int> { 0 } });
        Lab.Lma.Ref.Tell(new FlowStarted(Mn, PmipLab.Voip, ApplicationClass: "www"), TestActor);
        ExpectMsg<FlowDecision>();
        Settle();

        Assert.Equal(PmipLab.Voip, Assert.Single(LmaState().Failures).Flow);
        Assert.Equal(FlowHandoverStatus.Failure, WifiState().StoredReply!.Status);
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Voip));
    }

    [Fact]
    public void When_the_flow_ends_the_LMA_ceases_forwarding_and_the_target_MAG_removes_its_FFE()
    {
        Build();
        HandOverWww();

        var decision = Notify(new FlowEnded(Mn, PmipLab.Www));

        Assert.Equal(FlowDecisionKind.CeaseRequested, decision.Kind);
        Assert.Equal(1, SentCount<FlowHandoverRequest>(r => r.Cease));
        Assert.Empty(LmaState().FlowForwardingEntries);
        Assert.Equal(0, LmaState().PendingRequests);
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void An_operator_cease_request_sends_an_FHRQ_with_C_set()
    {
        Build();
        HandOverWww();

        Assert.Equal(FlowDecisionKind.CeaseRequested, Notify(new CeaseFlowForwarding(Mn, PmipLab.Www)).Kind);
        Assert.Equal(FlowDecisionKind.NotForwarded, Notify(new CeaseFlowForwarding(Mn, PmipLab.Www)).Kind);
        Assert.Empty(WifiState().FlowForwardingEntries);
    }

    [Fact]
    public void When_the_FFE_lifetime_expires_forwarding_reverts_to_the_BCE_on_both_sides()
    {
        Build();
        HandOverWww();
        Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));

        Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(LmaState().FlowForwardingEntries);
        Assert.Empty(WifiState().FlowForwardingEntries);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
        Assert.Equal(0, SentCount<FlowHandoverRequest>(r => r.Cease));
    }

    [Fact]
    public void A_lost_FHRQ_is_retransmitted_with_exponential_backoff_under_the_same_sequence_number()
    {
        Build();
        Lab.Network.Drop(d => d.Message is FlowHandoverRequest, count: 2);
        HandOverWww();
        Assert.Equal(1, SentCount<FlowHandoverRequest>());

        Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, SentCount<FlowHandoverRequest>());
        Assert.Empty(LmaState().FlowForwardingEntries);
        Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(2, SentCount<FlowHandoverRequest>());
        Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, SentCount<FlowHandoverRequest>());
        Assert.Single(Lab.Network.Sent.Select(d => d.Message).OfType<FlowHandoverRequest>().Select(r => r.SequenceNumber).Distinct());
        Assert.Single(LmaState().FlowForwardingEntries);
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, SentCount<FlowHandoverRequest>());
    }

    [Fact]
    public void An_FHRQ_never_answered_is_sent_five_times_then_recorded_as_a_failure()
    {
        Build();
        Lab.Network.Drop(d => d.Message is FlowHandoverRequest, count: int.MaxValue);
        HandOverWww();

        Advance(TimeSpan.FromMilliseconds(500 + 1000 + 2000 + 4000 - 1));
        Assert.Equal(4, SentCount<FlowHandoverRequest>());
        Assert.Empty(LmaState().Failures);
        Advance(TimeSpan.FromMilliseconds(1 + 8000));

        Assert.Equal(5, SentCount<FlowHandoverRequest>());
        Assert.Contains("after 5 FHRQs", Assert.Single(LmaState().Failures).Reason);
        Assert.Equal(0, LmaState().PendingRequests);
        Assert.Equal(CellularMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void Fhrq_with_a_known_sequence_number_is_answered_again_but_not_applied_twice()
    {
        Build();
        Lab.Network.Drop(d => d.Message is FlowHandoverReply, count: 1);
        HandOverWww();
        Assert.Single(WifiState().FlowForwardingEntries);
        Assert.Empty(LmaState().FlowForwardingEntries);

        Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(2, SentCount<FlowHandoverRequest>());
        Assert.Equal(2, SentCount<FlowHandoverReply>());
        var mag = WifiState();
        Assert.Equal(1, mag.FhrqsApplied);
        Assert.Single(mag.FlowForwardingEntries);
        Assert.Single(LmaState().FlowForwardingEntries);
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void A_duplicated_FHRQ_is_applied_once_and_the_duplicate_FHRP_is_dropped_as_a_replay()
    {
        Build();
        Lab.Network.Duplicate(d => d.Message is FlowHandoverRequest);
        HandOverWww();

        Assert.Equal(1, WifiState().FhrqsApplied);
        Assert.Equal(2, SentCount<FlowHandoverReply>());
        Assert.Single(LmaState().FlowForwardingEntries);
        Assert.Equal(1, Lab.Lma.Counters.Replayed);
    }

    [Fact]
    public void An_FHRP_refusing_a_handover_without_an_MN_ID_reaches_its_MN_by_the_LMA_s_record_of_its_FHRQs()
    {
        Build();
        Lab.Network.Drop(d => d.Message is FlowHandoverRequest, count: int.MaxValue);
        HandOverWww();
        var request = Lab.Network.Sent.Select(d => d.Message).OfType<FlowHandoverRequest>().Single();

        // Draft §4.2: the MN-ID is mandatory only with status 0; a MAG refusing may leave it out.
        var refusal = new FlowHandoverReply(request.SequenceNumber, false, FlowHandoverStatus.Failure, 0, null, new[] { PmipLab.Www });
        Lab.Network.Inject(PmipLab.WifiAddress, PmipLab.LmaAddress,
            SecurityScenarioTests.Signed(refusal, PmipLab.WifiAddress, PmipLab.LmaAddress, 0x100, PmipLab.WifiKey));
        Settle();

        var lma = LmaState();
        Assert.Equal((PmipLab.Www, WifiMag, "FHRP status 1"), (Assert.Single(lma.Failures).Flow, lma.Failures[0].Mag, lma.Failures[0].Reason));
        Assert.Equal(0, lma.PendingRequests);
        Assert.Equal(0, Lab.Lma.Counters.Unexpected);
    }

    [Fact]
    public void An_FHRP_without_an_MN_ID_that_answers_no_waiting_FHRQ_is_dropped_as_unexpected()
    {
        Build();
        var stray = new FlowHandoverReply(77, false, FlowHandoverStatus.Failure, 0, null, new[] { PmipLab.Www });

        Lab.Network.Inject(PmipLab.WifiAddress, PmipLab.LmaAddress, SecurityScenarioTests.Signed(stray, PmipLab.WifiAddress, PmipLab.LmaAddress, 0x100, PmipLab.WifiKey));
        Settle();

        Assert.Equal(1, Lab.Lma.Counters.Unexpected);
        Assert.Empty(LmaState().Failures);
    }

    [Fact]
    public void Detaching_deregisters_the_binding_and_removes_the_BCE()
    {
        Build();
        Lab.Cellular.Ref.Tell(new MobileNodeDetached(Mn));
        Settle();

        Assert.Equal(WifiMag, Assert.Single(LmaState().Bindings).Mag);
        Assert.Equal(1, SentCount<ProxyBindingUpdate>(p => p.Lifetime == 0));
        Assert.Equal(MagAddress.None, Lab.Lma.Route(PmipLab.Www));
    }

    [Fact]
    public void A_MAG_renews_its_binding_before_it_expires()
    {
        Build();
        var lifetime = Lab.Settings.BindingLifetime;

        Advance(lifetime + lifetime);

        Assert.Equal(2, LmaState().Bindings.Count);
        Assert.True(SentCount<ProxyBindingUpdate>() >= 6);
        Assert.True(WifiState().Binding is { Registered: true });
    }

    private PmipSettings Lab0Settings() => PmipSettings.Get(Sys);
}
