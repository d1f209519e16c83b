using Akka.Actor;
using Akka.Event;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Persistence;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway.Internal;

/// <summary>
/// <c>/user/mag/mn-&lt;id&gt;</c>: one MN at a MAG. Its BULE (RFC 5213 §6), and as T-MAG its FFEs with admission
/// (draft-koodli-flow-handover-00 §3). A persistent actor: an FHRP leaves only after the event recording the FHRQ's effect
/// (and the reply) is durable, and an FHRQ whose sequence number was handled is answered from that record.
/// </summary>
internal sealed class MagMobileNodeActor : MobileNodeActor
{
    private readonly MobileNodeIdentifier mobileNode;
    private readonly string key;
    private readonly MagContext node;
    private readonly IActorRef transport;

    private BindingUpdateListEntry? binding;
    private ushort pbuSequence;
    private ushort? outstandingPbu;
    private readonly Dictionary<FlowKey, MagFlowForwardingEntry> forwarding = [];
    private ushort? lastHandled;
    private FhrqHandled? lastHandledEvent;
    private FlowHandoverReply? storedReply;
    private int applied;
    private ushort unsolicitedSequence;

    public MagMobileNodeActor(MobileNodeIdentifier mobileNode, string persistenceId, MagContext node, IActorRef transport)
        : base(persistenceId, node.Settings)
    {
        this.mobileNode = mobileNode;
        key = mobileNode.ToString();
        this.node = node;
        this.transport = transport;

        Command<MobileNodeAttached>(OnAttached);
        Command<MobileNodeDetached>(_ => OnDetached());
        Command<MobilityMessageReceived>(m => OnPba((ProxyBindingAck)m.Message), m => m.Message is ProxyBindingAck);
        Command<MobilityMessageReceived>(m => OnFhrq((FlowHandoverRequest)m.Message), m => m.Message is FlowHandoverRequest);
        Command<RetransmitPbu>(OnRetransmitPbu);
        Command<RenewBinding>(_ =>
        {
            if (binding is { Registered: true }) SendPbu(HandoffIndicator.HandoffStateNotChanged, attempt: 1, node.Settings.PbuInitialRetransmit);
        });
        Command<BindingExpired>(e =>
        {
            if (binding is { } b && b.ExpiresAt == e.ExpiresAt) Record(new BuleRemoved(b.Sequence, "expired"));
        });
        Command<RenewForwarding>(OnRenewForwarding);
        Command<ForwardingExpired>(OnForwardingExpired);
        Command<GetMagMobileNode>(_ => Sender.Tell(new MagMobileNodeState(
            mobileNode, binding, [.. forwarding.Values], lastHandled, storedReply, applied)));
    }

    protected override void PreStart()
    {
        node.Admission.Clear(key);
        base.PreStart();
    }

    protected override IPmipPersistent TakeSnapshot() =>
        new MagMobileNodeSnapshot(binding, pbuSequence, [.. forwarding.Values], lastHandledEvent, applied, unsolicitedSequence);

    protected override void Restore(object snapshot)
    {
        var state = (MagMobileNodeSnapshot)snapshot;
        binding = state.Binding is { } entry ? entry with { MobileNode = mobileNode } : null;
        pbuSequence = state.PbuSequence;
        forwarding.Clear();
        foreach (var ffe in state.Forwarding) forwarding[FlowKey.Of(ffe.Flow)] = ffe;
        lastHandledEvent = state.LastHandled;
        lastHandled = state.LastHandled?.Sequence;
        storedReply = state.LastHandled is { } handled ? Reply(handled) : null;
        applied = state.FhrqsApplied;
        unsolicitedSequence = state.UnsolicitedSequence;
    }

    /// <summary>The FHRP that answers an FHRQ handled here, now or on its retransmission.</summary>
    private FlowHandoverReply Reply(FhrqHandled handled) =>
        new(handled.Sequence, false, handled.Status, handled.Outcome is FhrqOutcome.Created or FhrqOutcome.Renewed ? handled.Lifetime : (ushort)0,
            mobileNode, handled.Flows);

    protected override void Apply(object @event)
    {
        switch (@event)
        {
            case BuleCreated e:
                binding = new BindingUpdateListEntry(mobileNode, e.Prefix, e.IPv4HomeAddress, e.AccessTechnology, e.Sequence, false, TimeSpan.Zero, DateTimeOffset.MaxValue);
                pbuSequence = e.Sequence;
                break;
            case BuleRegistered e when binding is not null:
                binding = binding with { Sequence = e.Sequence, Registered = true, Lifetime = e.Lifetime, ExpiresAt = e.ExpiresAt };
                if (SerialNumber.IsNewer(e.Sequence, pbuSequence)) pbuSequence = e.Sequence;
                break;
            case BuleRemoved e:
                binding = null;
                if (SerialNumber.IsNewer(e.Sequence, pbuSequence)) pbuSequence = e.Sequence;
                break;
            case FhrqHandled e:
                lastHandled = e.Sequence;
                lastHandledEvent = e;
                applied++;
                storedReply = Reply(e);
                foreach (var flow in e.Flows)
                {
                    var flowKey = FlowKey.Of(flow);
                    switch (e.Outcome)
                    {
                        case FhrqOutcome.Created or FhrqOutcome.Renewed:
                            forwarding[flowKey] = new MagFlowForwardingEntry(flow, e.Lifetime, e.ExpiresAt, e.Sequence);
                            break;
                        case FhrqOutcome.Ceased:
                            forwarding.Remove(flowKey);
                            node.Admission.Release(key, [flowKey]);
                            break;
                    }
                }

                break;
            case MagFfeRemoved e:
                foreach (var flow in e.Flows) forwarding.Remove(FlowKey.Of(flow));
                node.Admission.Release(key, e.Flows.Select(FlowKey.Of));
                break;
            case UnsolicitedReplySent e:
                unsolicitedSequence = e.Sequence;
                break;
        }
    }

    protected override void OnRecovered()
    {
        var now = Now;
        node.Admission.Hold(key, forwarding.Keys);
        var lapsed = forwarding.Values.Where(f => f.ExpiresAt <= now).Select(f => f.Flow).ToArray();
        if (lapsed.Length > 0) Record(new MagFfeRemoved(lapsed, "expired while the MAG was down"));
        foreach (var ffe in forwarding.Values.Where(f => f.ExpiresAt > now)) ArmForwarding(ffe);

        if (binding is null) return;
        if (!binding.Registered)
        {
            SendPbu(HandoffIndicator.AttachmentOverNewInterface, attempt: 1, node.Settings.PbuInitialRetransmit);
        }
        else if (binding.ExpiresAt <= now)
        {
            Record(new BuleRemoved(binding.Sequence, "expired while the MAG was down"));
        }
        else
        {
            ArmBinding(binding);
            // Heartbeat-style resumption (RFC 5847 §5): a renewal tells the LMA we are back and our state is intact.
            SendPbu(HandoffIndicator.HandoffStateNotChanged, attempt: 1, node.Settings.PbuInitialRetransmit);
        }
    }

    // ---- Binding registration (RFC 5213 §6.9) ----

    private void OnAttached(MobileNodeAttached attached)
    {
        if (binding is { } existing && existing.Prefix == attached.Prefix) return;
        Record(new BuleCreated(attached.Prefix, attached.IPv4HomeAddress, node.AccessTechnology, (ushort)(pbuSequence + 1)),
            _ => SendPbu(HandoffIndicator.AttachmentOverNewInterface, attempt: 1, node.Settings.PbuInitialRetransmit));
    }

    private void SendPbu(HandoffIndicator handoff, int attempt, TimeSpan delay, bool deregister = false)
    {
        var entry = binding!;
        var sequence = ++pbuSequence;
        outstandingPbu = deregister ? null : sequence;
        var lifetime = deregister ? (ushort)0 : (ushort)Math.Min(node.Settings.BindingLifetime.TotalSeconds / 4, ushort.MaxValue);
        transport.Tell(new SendMobilityMessage(new ProxyBindingUpdate(
            sequence,
            ProxyBindingUpdate.ProxyFlags,
            lifetime,
            mobileNode,
            new[] { entry.Prefix },
            handoff,
            entry.AccessTechnology,
            MobilityTimestamp.FromDateTimeOffset(Now),
            entry.IPv4HomeAddress is { } hoa ? new IPv4HomeAddressRequest(32, hoa) : null), node.Lma));
        if (!deregister) Timers.StartSingleTimer("pbu", new RetransmitPbu(sequence, attempt, delay, handoff), delay);
    }

    private void OnRetransmitPbu(RetransmitPbu retransmit)
    {
        if (outstandingPbu != retransmit.Sequence || binding is null) return;
        if (retransmit.Attempt < node.Settings.PbuMaxTries)
        {
            SendPbu(retransmit.Handoff, retransmit.Attempt + 1, retransmit.Delay * 2);
            return;
        }

        outstandingPbu = null;
        Log.Warning("No PBA from {0} for {1} after {2} PBUs", node.Lma, key, node.Settings.PbuMaxTries);
        if (!binding.Registered) Record(new BuleRemoved(pbuSequence, "no PBA"));
    }

    private void OnPba(ProxyBindingAck pba)
    {
        if (outstandingPbu != pba.SequenceNumber || binding is null)
        {
            node.Counters.CountUnexpected();
            Log.Warning("Dropped PBA #{0} for {1}: no PBU with that number is waiting", pba.SequenceNumber, key);
            return;
        }

        outstandingPbu = null;
        Timers.Cancel("pbu");
        if ((byte)pba.Status >= 128)
        {
            Log.Warning("{0} rejected the binding of {1}: PBA status {2}", node.Lma, key, pba.Status);
            Record(new BuleRemoved(pba.SequenceNumber, $"rejected with status {pba.Status}"));
            return;
        }

        Record(new BuleRegistered(pba.SequenceNumber, pba.LifetimeDuration, Now + pba.LifetimeDuration), _ => ArmBinding(binding!));
    }

    private void ArmBinding(BindingUpdateListEntry entry)
    {
        var remaining = entry.ExpiresAt - Now;
        var renewIn = remaining > node.Settings.BindingRefreshBefore * 2 ? remaining - node.Settings.BindingRefreshBefore : remaining / 2;
        Timers.StartSingleTimer("renew-binding", RenewBinding.Instance, renewIn);
        Timers.StartSingleTimer("binding-expiry", new BindingExpired(entry.ExpiresAt), remaining);
    }

    private void OnDetached()
    {
        if (binding is null) return;
        SendPbu(HandoffIndicator.AttachmentOverNewInterface, attempt: 1, TimeSpan.Zero, deregister: true);
        Timers.Cancel("pbu");
        Timers.Cancel("renew-binding");
        var removed = new BuleRemoved(pbuSequence, "detached");
        if (forwarding.Count == 0)
        {
            Record(removed);
            return;
        }

        // Draft §4.2: lifetime 0 tells the LMA the MN has gone; the FFEs stay until its FHRQ (C = 1) confirms.
        RecordAll([removed, new UnsolicitedReplySent((ushort)(unsolicitedSequence + 1), 0, [.. forwarding.Values.Select(f => f.Flow)])],
            e =>
            {
                if (e is UnsolicitedReplySent sent) SendUnsolicitedReply(sent);
            });
    }

    // ---- Flow handover (draft-koodli-flow-handover-00 §3) ----

    private void OnFhrq(FlowHandoverRequest request)
    {
        if (request.SequenceNumber == lastHandled)
        {
            Log.Info("FHRQ #{0} for {1} was handled already; answering with the stored FHRP", request.SequenceNumber, key);
            transport.Tell(new SendMobilityMessage(storedReply!, node.Lma));
            return;
        }

        if (lastHandled is { } last && !SerialNumber.IsNewer(request.SequenceNumber, last))
        {
            node.Counters.CountReplayed();
            Log.Warning("Dropped FHRQ #{0} for {1}: older than #{2}, the last one handled", request.SequenceNumber, key, last);
            return;
        }

        var flows = request.Flows.ToArray();
        var now = Now;
        var expiresAt = now + TimeSpan.FromSeconds(request.Lifetime);
        FhrqHandled handled;
        if (request.Cease)
        {
            handled = new FhrqHandled(request.SequenceNumber, FhrqOutcome.Ceased, flows, 0, now, FlowHandoverStatus.Success, null);
        }
        else if (flows.All(f => forwarding.ContainsKey(FlowKey.Of(f))))
        {
            handled = new FhrqHandled(request.SequenceNumber, FhrqOutcome.Renewed, flows, request.Lifetime, expiresAt, FlowHandoverStatus.Success, null);
        }
        else if (binding is not { Registered: true })
        {
            handled = Refused(request, flows, "the MN is not attached to this MAG");
        }
        else if (!node.Admission.TryAdmit(key, flows, out var reason))
        {
            handled = Refused(request, flows, reason);
        }
        else
        {
            handled = new FhrqHandled(request.SequenceNumber, FhrqOutcome.Created, flows, request.Lifetime, expiresAt, FlowHandoverStatus.Success, null);
        }

        Record(handled, e =>
        {
            if (e.Outcome is FhrqOutcome.Created or FhrqOutcome.Renewed)
            {
                foreach (var flow in e.Flows) ArmForwarding(forwarding[FlowKey.Of(flow)]);
            }
            else if (e.Outcome is FhrqOutcome.Ceased)
            {
                foreach (var flow in e.Flows)
                {
                    Timers.Cancel(("ffe", FlowKey.Of(flow)));
                    Timers.Cancel(("ffe-renew", FlowKey.Of(flow)));
                }
            }

            transport.Tell(new SendMobilityMessage(storedReply!, node.Lma));
        });
    }

    private FhrqHandled Refused(FlowHandoverRequest request, FlowTuple[] flows, string reason)
    {
        Log.Warning("Refused FHRQ #{0} for {1} (FHRP status 1): {2}", request.SequenceNumber, key, reason);
        return new FhrqHandled(request.SequenceNumber, FhrqOutcome.Refused, flows, 0, Now, FlowHandoverStatus.Failure, reason);
    }

    private void ArmForwarding(MagFlowForwardingEntry ffe)
    {
        var flowKey = FlowKey.Of(ffe.Flow);
        var remaining = ffe.ExpiresAt - Now;
        Timers.StartSingleTimer(("ffe", flowKey), new ForwardingExpired(flowKey, ffe.ExpiresAt), remaining);
        var renewBefore = node.Settings.FfeRenewBefore;
        if (renewBefore > TimeSpan.Zero && remaining > renewBefore)
            Timers.StartSingleTimer(("ffe-renew", flowKey), new RenewForwarding(flowKey, ffe.ExpiresAt), remaining - renewBefore);
    }

    private void OnRenewForwarding(RenewForwarding renew)
    {
        if (!forwarding.TryGetValue(renew.Key, out var ffe) || ffe.ExpiresAt != renew.ExpiresAt || binding is not { Registered: true }) return;

        // Draft §3: ask with a U-FHRP, but keep the old lifetime until the LMA's FHRQ confirms the new one.
        SendUnsolicited(ffe.Lifetime, [ffe.Flow]);
    }

    private void SendUnsolicited(ushort lifetime, FlowTuple[] flows) =>
        Record(new UnsolicitedReplySent((ushort)(unsolicitedSequence + 1), lifetime, flows), SendUnsolicitedReply);

    private void SendUnsolicitedReply(UnsolicitedReplySent sent) =>
        transport.Tell(new SendMobilityMessage(
            new FlowHandoverReply(sent.Sequence, true, FlowHandoverStatus.Success, sent.Lifetime, mobileNode, sent.Flows), node.Lma));

    private void OnForwardingExpired(ForwardingExpired expired)
    {
        if (!forwarding.TryGetValue(expired.Key, out var ffe) || ffe.ExpiresAt != expired.ExpiresAt) return;
        Log.Info("FFE of {0} for {1} expired", key, ffe.Flow);
        Record(new MagFfeRemoved([ffe.Flow], "lifetime expired"));
    }

    private sealed record RetransmitPbu(ushort Sequence, int Attempt, TimeSpan Delay, HandoffIndicator Handoff);

    private sealed record RenewBinding
    {
        public static RenewBinding Instance { get; } = new();
    }

    private sealed record BindingExpired(DateTimeOffset ExpiresAt);

    private sealed record RenewForwarding(FlowKey Key, DateTimeOffset ExpiresAt);

    private sealed record ForwardingExpired(FlowKey Key, DateTimeOffset ExpiresAt);
}
