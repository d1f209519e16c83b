using System.Net;
using Akka.Actor;
using Akka.Event;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Persistence;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// <c>/user/lma/mn-&lt;id&gt;</c>: one MN at the LMA. Its BCEs (RFC 5213), its FFEs and FHRQs in flight
/// (draft-koodli-flow-handover-00 §3) and the policy decision. A persistent actor: state changes only in
/// <see cref="Apply"/>, and a PBA is sent, an FFE used for forwarding, only after the event is durable.
/// </summary>
internal sealed class LmaMobileNodeActor : MobileNodeActor
{
    private readonly MobileNodeIdentifier mobileNode;
    private readonly string key;
    private readonly PmipSettings settings;
    private readonly IActorRef transport;
    private readonly LmaRoutingTable routing;
    private readonly MobilityCounters counters;
    private readonly OutstandingRequests outstanding;

    private readonly Dictionary<MagAddress, BindingCacheEntry> bindings = [];
    private readonly Dictionary<MagAddress, (ushort Sequence, ulong Timestamp)> lastPbu = [];
    private readonly Dictionary<FlowKey, FlowForwardingEntry> forwarding = [];
    private readonly Dictionary<ushort, FhrqIssued> pending = [];
    private readonly Dictionary<MagAddress, ushort> lastUnsolicited = [];
    private readonly List<FlowHandoverFailure> failures = [];
    private ushort lastSequence;

    public LmaMobileNodeActor(MobileNodeIdentifier mobileNode, string persistenceId, LmaContext node, IActorRef transport)
        : base(persistenceId, node.Settings)
    {
        this.mobileNode = mobileNode;
        key = mobileNode.ToString();
        settings = node.Settings;
        this.transport = transport;
        routing = node.Routing;
        counters = node.Counters;
        outstanding = node.Outstanding;

        Command<MobilityMessageReceived>(m => OnPbu((ProxyBindingUpdate)m.Message, new MagAddress(m.Peer)), m => m.Message is ProxyBindingUpdate);
        Command<MobilityMessageReceived>(m => OnUnsolicitedReply((FlowHandoverReply)m.Message, new MagAddress(m.Peer)),
            m => m.Message is FlowHandoverReply { Unsolicited: true });
        Command<MobilityMessageReceived>(m => OnReply((FlowHandoverReply)m.Message, new MagAddress(m.Peer)), m => m.Message is FlowHandoverReply);
        Command<FlowStarted>(OnFlowStarted);
        Command<FlowEnded>(m => Cease(m.Flow));
        Command<CeaseFlowForwarding>(m => Cease(m.Flow));
        Command<MagUnreachable>(OnMagUnreachable);
        Command<RetransmitFhrq>(OnRetransmit);
        Command<BindingExpired>(OnBindingExpired);
        Command<ForwardingExpired>(OnForwardingExpired);
        Command<GetLmaMobileNode>(_ => Sender.Tell(State()));
    }

    protected override void PostStop()
    {
        // Routes stay: they are durable state, and the next incarnation writes the same ones again.
        foreach (var sequence in pending.Keys) outstanding.Remove(pending[sequence].Mag, sequence, mobileNode);
        base.PostStop();
    }

    protected override IPmipPersistent TakeSnapshot() => new LmaMobileNodeSnapshot(
        [.. bindings.Values],
        [.. lastPbu.Select(p => new PbuRecord(p.Key, p.Value.Sequence, p.Value.Timestamp))],
        [.. forwarding.Values],
        [.. pending.Values],
        [.. lastUnsolicited.Select(u => new UnsolicitedRecord(u.Key, u.Value))],
        [.. failures],
        lastSequence);

    protected override void Restore(object snapshot)
    {
        var state = (LmaMobileNodeSnapshot)snapshot;
        foreach (var entry in bindings.Values) routing.RemoveBinding(key, entry);
        foreach (var flow in forwarding.Keys) routing.RemoveForwarding(key, flow);
        bindings.Clear();
        lastPbu.Clear();
        forwarding.Clear();
        pending.Clear();
        lastUnsolicited.Clear();
        failures.Clear();
        foreach (var entry in state.Bindings)
        {
            bindings[entry.Mag] = entry with { MobileNode = mobileNode };
            routing.SetBinding(key, entry);
        }

        foreach (var pbu in state.LastPbu) lastPbu[pbu.Mag] = (pbu.Sequence, pbu.Timestamp);
        foreach (var ffe in state.Forwarding)
        {
            forwarding[FlowKey.Of(ffe.Flow)] = ffe;
            routing.SetForwarding(key, FlowKey.Of(ffe.Flow), ffe.Mag);
        }

        foreach (var request in state.Pending)
        {
            pending[request.Sequence] = request;
            outstanding.Add(request.Mag, request.Sequence, mobileNode);
        }

        foreach (var unsolicited in state.LastUnsolicited) lastUnsolicited[unsolicited.Mag] = unsolicited.Sequence;
        failures.AddRange(state.Failures);
        lastSequence = state.LastSequence;
    }

    protected override void Apply(object @event)
    {
        switch (@event)
        {
            case BceCreated e:
                var entry = new BindingCacheEntry(mobileNode, e.Mag, e.Prefix, e.IPv4HomeAddress, e.AccessTechnology, e.Lifetime, e.ExpiresAt);
                if (bindings.TryGetValue(e.Mag, out var replaced)) routing.RemoveBinding(key, replaced);
                bindings[e.Mag] = entry;
                lastPbu[e.Mag] = (e.Sequence, e.Timestamp);
                routing.SetBinding(key, entry);
                break;
            case BceRefreshed e:
                bindings[e.Mag] = bindings[e.Mag] with { Lifetime = e.Lifetime, ExpiresAt = e.ExpiresAt };
                lastPbu[e.Mag] = (e.Sequence, e.Timestamp);
                break;
            case BceRemoved e:
                if (bindings.Remove(e.Mag, out var removed)) routing.RemoveBinding(key, removed);
                lastPbu[e.Mag] = (e.Sequence, Math.Max(e.Timestamp, lastPbu.GetValueOrDefault(e.Mag).Timestamp));
                break;
            case FhrqIssued e:
                pending[e.Sequence] = e;
                outstanding.Add(e.Mag, e.Sequence, mobileNode);
                lastSequence = e.Sequence;
                if (e.AnswersUnsolicited is { } u) lastUnsolicited[e.Mag] = u;
                break;
            case FfeCreated e:
                Complete(e.Sequence);
                foreach (var flow in e.Flows)
                {
                    forwarding[FlowKey.Of(flow)] = new FlowForwardingEntry(flow, e.Mag, e.Lifetime, e.ExpiresAt, e.ApplicationClass);
                    routing.SetForwarding(key, FlowKey.Of(flow), e.Mag);
                }

                break;
            case FfeRenewed e:
                Complete(e.Sequence);
                foreach (var flow in e.Flows)
                {
                    if (forwarding.TryGetValue(FlowKey.Of(flow), out var ffe))
                        forwarding[FlowKey.Of(flow)] = ffe with { Lifetime = e.Lifetime, ExpiresAt = e.ExpiresAt };
                }

                break;
            case FfeRemoved e:
                foreach (var flow in e.Flows)
                {
                    if (forwarding.Remove(FlowKey.Of(flow))) routing.RemoveForwarding(key, FlowKey.Of(flow));
                }

                break;
            case FlowHandoverFailed e:
                Complete(e.Sequence);
                foreach (var flow in e.Flows) failures.Add(new FlowHandoverFailure(flow, e.Mag, e.Reason, e.At));
                break;
            case FhrqCompleted e:
                Complete(e.Sequence);
                break;
        }
    }

    private void Complete(ushort sequence)
    {
        if (pending.Remove(sequence, out var request)) outstanding.Remove(request.Mag, sequence, mobileNode);
    }

    protected override void OnRecovered()
    {
        var now = Now;
        var expired = new List<IPmipPersistent>();
        foreach (var entry in bindings.Values)
        {
            if (entry.ExpiresAt <= now) expired.Add(new BceRemoved(entry.Mag, lastPbu[entry.Mag].Sequence, lastPbu[entry.Mag].Timestamp, "expired while the LMA was down"));
            else Timers.StartSingleTimer(("bce", entry.Mag), new BindingExpired(entry.Mag, entry.ExpiresAt), entry.ExpiresAt - now);
        }

        var lapsed = forwarding.Values.Where(f => f.ExpiresAt <= now).Select(f => f.Flow).ToArray();
        if (lapsed.Length > 0) expired.Add(new FfeRemoved(lapsed, "expired while the LMA was down"));
        foreach (var ffe in forwarding.Values.Where(f => f.ExpiresAt > now)) ArmForwardingExpiry(ffe);
        RecordAll(expired);

        // Heartbeats resume for every MAG this MN depends on, whether or not that MAG speaks first.
        foreach (var mag in bindings.Keys.Concat(forwarding.Values.Select(f => f.Mag)).Distinct()) Context.Parent.Tell(new WatchMag(mag));

        // FHRQs in flight when the LMA went down are sent again under their own sequence numbers: a MAG that already
        // handled one answers with its stored reply and applies nothing twice.
        foreach (var request in pending.Values) Transmit(request, attempt: 1, settings.FhrqInitialRetransmit);
    }

    // ---- Proxy Binding Update (RFC 5213 §5.3) ----

    private void OnPbu(ProxyBindingUpdate pbu, MagAddress mag)
    {
        var now = Now;
        var timestamp = pbu.Timestamp?.Value ?? 0;
        if (!IsFresh(pbu, mag, now, out var why))
        {
            counters.CountReplayed();
            Log.Warning("Dropped PBU #{0} from {1} for {2}: {3}", pbu.SequenceNumber, mag, key, why);
            return;
        }

        if (pbu.Lifetime == 0)
        {
            if (bindings.ContainsKey(mag)) Record(new BceRemoved(mag, pbu.SequenceNumber, timestamp, "de-registered"), _ => Timers.Cancel(("bce", mag)));
            Acknowledge(pbu, mag, BindingAckStatus.Accepted, 0, null);
            return;
        }

        var prefix = pbu.HomeNetworkPrefixes?.FirstOrDefault();
        var hoa = pbu.IPv4HomeAddressRequest is { HomeAddress: var requested } && !requested.Equals(IPAddress.Any) ? requested : null;
        if (prefix is null && hoa is null)
        {
            Log.Warning("Rejected PBU #{0} from {1} for {2}: it carries neither a Home Network Prefix nor an IPv4 home address",
                pbu.SequenceNumber, mag, key);
            Acknowledge(pbu, mag, BindingAckStatus.MissingHomeNetworkPrefixOption, 0, null);
            return;
        }

        var lifetime = TimeSpan.FromTicks(Math.Min(pbu.LifetimeDuration.Ticks, settings.BindingLifetime.Ticks));
        var expiresAt = now + lifetime;
        void Granted(IPmipPersistent _)
        {
            Timers.StartSingleTimer(("bce", mag), new BindingExpired(mag, expiresAt), lifetime);
            Acknowledge(pbu, mag, BindingAckStatus.Accepted, (ushort)(lifetime.TotalSeconds / 4), hoa);
        }

        if (bindings.TryGetValue(mag, out var existing) && existing.Prefix == prefix)
            Record(new BceRefreshed(mag, pbu.SequenceNumber, timestamp, lifetime, expiresAt), Granted);
        else
            Record(new BceCreated(mag, prefix, hoa, pbu.AccessTechnologyType ?? AccessTechnologyType.Reserved, pbu.SequenceNumber, timestamp, lifetime, expiresAt), Granted);
    }

    /// <summary>
    /// RFC 5213 §5.5: with a Timestamp option the PBU must be within the replay window of our clock and newer than the
    /// last one accepted from that MAG; without one, its sequence number must be newer.
    /// </summary>
    private bool IsFresh(ProxyBindingUpdate pbu, MagAddress mag, DateTimeOffset now, out string why)
    {
        var known = lastPbu.TryGetValue(mag, out var last);
        if (pbu.Timestamp is { } timestamp)
        {
            var skew = (timestamp.ToDateTimeOffset() - now).Duration();
            why = $"its timestamp is {skew.TotalMilliseconds:0} ms from our clock (replay window {settings.ReplayWindow.TotalMilliseconds:0} ms)";
            if (skew > settings.ReplayWindow) return false;
            why = "its timestamp is older than the last PBU accepted from that MAG, or as old with a sequence number not newer";
            return !known || timestamp.Value > last.Timestamp
                || (timestamp.Value == last.Timestamp && SerialNumber.IsNewer(pbu.SequenceNumber, last.Sequence));
        }

        why = $"sequence number {pbu.SequenceNumber} is not newer than {last.Sequence}";
        return !known || SerialNumber.IsNewer(pbu.SequenceNumber, last.Sequence);
    }

    private void Acknowledge(ProxyBindingUpdate pbu, MagAddress mag, BindingAckStatus status, ushort lifetime, IPAddress? hoa) =>
        transport.Tell(new SendMobilityMessage(new ProxyBindingAck(
            status,
            BindingAckFlags.ProxyRegistration,
            pbu.SequenceNumber,
            lifetime,
            pbu.MobileNodeIdentifier,
            pbu.HomeNetworkPrefixes,
            pbu.HandoffIndicator,
            pbu.AccessTechnologyType,
            pbu.Timestamp,
            hoa is null ? null : new IPv4HomeAddressReply(0, 32, hoa)), mag.Address));

    private void OnBindingExpired(BindingExpired expired)
    {
        if (!bindings.TryGetValue(expired.Mag, out var entry) || entry.ExpiresAt != expired.ExpiresAt) return;
        Log.Info("BCE of {0} at {1} expired", key, expired.Mag);
        Record(new BceRemoved(expired.Mag, lastPbu[expired.Mag].Sequence, lastPbu[expired.Mag].Timestamp, "expired"));
    }

    // ---- Flow handover (draft-koodli-flow-handover-00 §3) ----

    private void OnFlowStarted(FlowStarted started)
    {
        var flow = started.Flow;
        var anchor = Anchor(flow);
        if (anchor is null)
        {
            Sender.Tell(new FlowDecision(flow, FlowDecisionKind.NoBinding, MagAddress.None));
            return;
        }

        var applicationClass = settings.Policy.Classify(flow, started.Protocol, started.ApplicationClass);
        var target = applicationClass is null
            ? null
            : settings.Policy.Preference(key, applicationClass)
                .Select(type => bindings.Values.FirstOrDefault(b => b.AccessTechnology == type))
                .FirstOrDefault(b => b is not null);
        if (target is null)
        {
            Sender.Tell(new FlowDecision(flow, FlowDecisionKind.NoPolicy, anchor.Mag));
            return;
        }

        var flowKey = FlowKey.Of(flow);
        var current = forwarding.TryGetValue(flowKey, out var ffe) ? ffe.Mag : anchor.Mag;
        if (current == target.Mag)
        {
            Sender.Tell(new FlowDecision(flow, FlowDecisionKind.BestMapped, current));
            return;
        }

        if (pending.Values.Any(p => p.Purpose != FhrqPurpose.Cease && p.Flows.Any(f => FlowKey.Of(f) == flowKey)))
        {
            Sender.Tell(new FlowDecision(flow, FlowDecisionKind.InProgress, target.Mag));
            return;
        }

        var events = new List<IPmipPersistent>();
        if (ffe is not null)
        {
            // Moving off a T-MAG: cease there first; the BCE carries the flow until the new FFE exists.
            events.Add(new FfeRemoved([ffe.Flow], "moved to " + target.Mag));
            events.Add(NextRequest(events, ffe.Mag, FhrqPurpose.Cease, 0, [ffe.Flow], null, null));
        }

        if (target.Mag != anchor.Mag)
            events.Add(NextRequest(events, target.Mag, FhrqPurpose.Handover, Seconds(settings.FlowLifetime), [flow], applicationClass!.Name, null));
        Issue(events);
        Sender.Tell(new FlowDecision(flow, target.Mag == anchor.Mag ? FlowDecisionKind.CeaseRequested : FlowDecisionKind.HandoverRequested, target.Mag));
    }

    private void Cease(FlowTuple flow)
    {
        if (!forwarding.TryGetValue(FlowKey.Of(flow), out var ffe))
        {
            Sender.Tell(new FlowDecision(flow, FlowDecisionKind.NotForwarded, MagAddress.None));
            return;
        }

        // The LMA decides: its own FFE goes at once (traffic returns to the BCE), the T-MAG's with the FHRQ C = 1.
        IPmipPersistent[] events = [new FfeRemoved([ffe.Flow], "ceased"), NextRequest([], ffe.Mag, FhrqPurpose.Cease, 0, [ffe.Flow], null, null)];
        Issue(events);
        Sender.Tell(new FlowDecision(flow, FlowDecisionKind.CeaseRequested, ffe.Mag));
    }

    /// <summary>The next FHRQ, numbered after the last one issued and any issued earlier in <paramref name="batch"/>.</summary>
    private FhrqIssued NextRequest(IReadOnlyList<IPmipPersistent> batch, MagAddress mag, FhrqPurpose purpose, ushort lifetime, FlowTuple[] flows,
        string? applicationClass, ushort? answersUnsolicited) =>
        new((ushort)(lastSequence + 1 + batch.Count(e => e is FhrqIssued)), mag, purpose, lifetime, flows, applicationClass, answersUnsolicited);

    /// <summary>Makes one command's events durable in one write, and sends each FHRQ among them once it is.</summary>
    private void Issue(IReadOnlyList<IPmipPersistent> events) =>
        RecordAll(events, e =>
        {
            if (e is FhrqIssued issued) Transmit(issued, attempt: 1, settings.FhrqInitialRetransmit);
        });

    private void Transmit(FhrqIssued request, int attempt, TimeSpan delay)
    {
        transport.Tell(new SendMobilityMessage(
            new FlowHandoverRequest(request.Sequence, request.Purpose == FhrqPurpose.Cease, request.Lifetime, mobileNode, request.Flows),
            request.Mag.Address));
        Timers.StartSingleTimer(("fhrq", request.Sequence), new RetransmitFhrq(request.Sequence, attempt, delay), delay);
    }

    private void OnRetransmit(RetransmitFhrq retransmit)
    {
        if (!pending.TryGetValue(retransmit.Sequence, out var request)) return;
        if (retransmit.Attempt < settings.FhrqMaxTries)
        {
            Log.Info("No FHRP to FHRQ #{0} for {1} from {2} after {3} ms; sending it again ({4}/{5})",
                request.Sequence, key, request.Mag, retransmit.Delay.TotalMilliseconds, retransmit.Attempt + 1, settings.FhrqMaxTries);
            Transmit(request, retransmit.Attempt + 1, retransmit.Delay * 2);
            return;
        }

        var reason = $"no FHRP from {request.Mag} after {settings.FhrqMaxTries} FHRQs";
        Log.Warning("FHRQ #{0} ({1}) for {2} failed: {3}", request.Sequence, request.Purpose, key, reason);
        if (request.Purpose == FhrqPurpose.Handover)
            Record(new FlowHandoverFailed(request.Sequence, request.Mag, request.Flows, reason, Now), PublishFailure);
        else
            Record(new FhrqCompleted(request.Sequence));
    }

    private void OnReply(FlowHandoverReply reply, MagAddress mag)
    {
        if (!pending.TryGetValue(reply.SequenceNumber, out var request) || request.Mag != mag)
        {
            if (SerialNumber.IsNewer(reply.SequenceNumber, lastSequence)) counters.CountUnexpected();
            else counters.CountReplayed();
            Log.Warning("Dropped FHRP #{0} from {1} for {2}: no FHRQ with that number is waiting for it", reply.SequenceNumber, mag, key);
            return;
        }

        Timers.Cancel(("fhrq", request.Sequence));
        var now = Now;
        switch (request.Purpose, reply.Status)
        {
            case (FhrqPurpose.Handover, FlowHandoverStatus.Success):
                Record(new FfeCreated(request.Sequence, mag, request.Flows, reply.Lifetime, now + TimeSpan.FromSeconds(reply.Lifetime), request.ApplicationClass),
                    created =>
                    {
                        foreach (var flow in created.Flows)
                        {
                            var ffe = forwarding[FlowKey.Of(flow)];
                            ArmForwardingExpiry(ffe);
                            Context.System.EventStream.Publish(new FlowForwardingInstalled(mobileNode, ffe));
                        }
                    });
                break;
            case (FhrqPurpose.Handover, _):
                Log.Warning("{0} refused the handover of {1} for {2} (FHRP status {3}); the flows stay on their BCE",
                    mag, string.Join(", ", request.Flows), key, reply.Status);
                Record(new FlowHandoverFailed(request.Sequence, mag, request.Flows, $"FHRP status {(byte)reply.Status}", now), PublishFailure);
                break;
            case (FhrqPurpose.Renewal, FlowHandoverStatus.Success):
                Record(new FfeRenewed(request.Sequence, request.Flows, reply.Lifetime, now + TimeSpan.FromSeconds(reply.Lifetime)),
                    renewed =>
                    {
                        foreach (var flow in renewed.Flows)
                        {
                            if (forwarding.TryGetValue(FlowKey.Of(flow), out var ffe)) ArmForwardingExpiry(ffe);
                        }
                    });
                break;
            default:
                Record(new FhrqCompleted(request.Sequence));
                break;
        }
    }

    private void PublishFailure(FlowHandoverFailed failed)
    {
        foreach (var flow in failed.Flows)
            Context.System.EventStream.Publish(new FlowHandoverFailureRecorded(mobileNode, new FlowHandoverFailure(flow, failed.Mag, failed.Reason, failed.At)));
    }

    /// <summary>
    /// U-FHRP (draft §3, §4.2): a new lifetime asks for renewal, which the LMA confirms with an FHRQ; lifetime 0 says the
    /// MN left the T-MAG, and the LMA cancels with an FHRQ C = 1. The MAG waits for that FHRQ before it acts.
    /// </summary>
    private void OnUnsolicitedReply(FlowHandoverReply reply, MagAddress mag)
    {
        if (lastUnsolicited.TryGetValue(mag, out var last) && !SerialNumber.IsNewer(reply.SequenceNumber, last))
        {
            counters.CountReplayed();
            Log.Warning("Dropped U-FHRP #{0} from {1} for {2}: not newer than #{3}", reply.SequenceNumber, mag, key, last);
            return;
        }

        var ours = reply.Flows.Where(f => forwarding.TryGetValue(FlowKey.Of(f), out var ffe) && ffe.Mag == mag).ToArray();
        if (reply.Lifetime > 0 && ours.Length == reply.Flows.Count)
        {
            Issue([NextRequest([], mag, FhrqPurpose.Renewal, reply.Lifetime, ours, null, reply.SequenceNumber)]);
            return;
        }

        var events = new List<IPmipPersistent>();
        if (ours.Length > 0) events.Add(new FfeRemoved(ours, reply.Lifetime == 0 ? "MN out of coverage of the T-MAG" : "renewal of unknown flows"));
        Log.Info("U-FHRP #{0} from {1} for {2} with lifetime {3}: ceasing {4}", reply.SequenceNumber, mag, key, reply.Lifetime, string.Join(", ", reply.Flows));
        events.Add(NextRequest(events, mag, FhrqPurpose.Cease, 0, [.. reply.Flows], null, reply.SequenceNumber));
        Issue(events);
    }

    private void ArmForwardingExpiry(FlowForwardingEntry ffe) =>
        Timers.StartSingleTimer(("ffe", FlowKey.Of(ffe.Flow)), new ForwardingExpired(FlowKey.Of(ffe.Flow), ffe.ExpiresAt), ffe.ExpiresAt - Now);

    private void OnForwardingExpired(ForwardingExpired expired)
    {
        if (!forwarding.TryGetValue(expired.Key, out var ffe) || ffe.ExpiresAt != expired.ExpiresAt) return;
        Log.Info("FFE of {0} for {1} via {2} expired; the flow reverts to its BCE", key, ffe.Flow, ffe.Mag);
        Record(new FfeRemoved([ffe.Flow], "lifetime expired"));
    }

    private void OnMagUnreachable(MagUnreachable unreachable)
    {
        var through = forwarding.Values.Where(f => f.Mag == unreachable.Mag).Select(f => f.Flow).ToArray();
        if (through.Length == 0) return;
        Log.Warning("{0} is unreachable; {1} flows of {2} fall back to their BCEs", unreachable.Mag, through.Length, key);
        Record(new FfeRemoved(through, "MAG unreachable"));
    }

    private BindingCacheEntry? Anchor(FlowTuple flow) =>
        bindings.Values.FirstOrDefault(b => Holds(b, flow.Destination)) ?? bindings.Values.FirstOrDefault(b => Holds(b, flow.Source));

    private static bool Holds(BindingCacheEntry entry, FlowAddress address)
    {
        if (address.IsWildcard) return false;
        if (address.IsIPv4) return entry.IPv4HomeAddress is { } hoa && FlowAddress.IPv4(hoa) == address;
        return entry.Prefix is { } hnp && FlowKey.Matches(FlowAddress.Prefix(hnp.Prefix, hnp.PrefixLength), address);
    }

    private static ushort Seconds(TimeSpan lifetime) => (ushort)Math.Clamp(lifetime.TotalSeconds, 1, ushort.MaxValue);

    private LmaMobileNodeState State() =>
        new(mobileNode, [.. bindings.Values], [.. forwarding.Values], [.. failures], pending.Count);

    private sealed record RetransmitFhrq(ushort Sequence, int Attempt, TimeSpan Delay);

    private sealed record BindingExpired(MagAddress Mag, DateTimeOffset ExpiresAt);

    private sealed record ForwardingExpired(FlowKey Key, DateTimeOffset ExpiresAt);
}
