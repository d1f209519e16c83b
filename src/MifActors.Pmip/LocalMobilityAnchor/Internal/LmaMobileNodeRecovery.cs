using System.Net;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// The LMA's recovery pass without an actor per MN: each MN's events go straight into the routing table (what
/// <see cref="LmaMobileNodeActor"/> would write from the same events), and the MN is kept only as a persistence id
/// and the time its next entry lapses. Its actor starts when something needs it: signalling or a flow notification
/// for it, the lapse of a BCE or FFE (the actor then expires it as after any restart), or a MAG its FFEs go through
/// becoming unreachable. MNs with an FHRQ in flight, or with entries that lapsed while the LMA was down, start at once.
/// <see cref="Add"/> runs on the reading thread, MN after MN; the results are read on the node's thread after
/// <see cref="Complete"/>. An MN may start from a node snapshot (<see cref="Begin"/> and the Seed methods) and go on
/// with the events after it. Without a routing table the fold only feeds <paramref name="snapshot"/>: that is how the
/// next snapshot is made from the last one and the events since.
/// </summary>
internal sealed class LmaMobileNodeRecovery(string node, LmaRoutingTable? routing, DateTimeOffset now, LmaNodeSnapshot.Writer? snapshot = null)
{
    // The fold of the current MN: only what decides when it must wake.
    private readonly Dictionary<MagAddress, BindingCacheEntry> bindings = [];
    private readonly Dictionary<FlowKey, (MagAddress Mag, DateTimeOffset ExpiresAt)> forwarding = [];
    private readonly HashSet<ushort> pending = [];
    private string? persistenceId;
    private string key = "";
    private MobileNodeIdentifier? mobileNode;

    /// <summary>Every MN recovered, by persistence id, not started yet.</summary>
    public HashSet<string> Dormant { get; } = new(StringComparer.Ordinal);

    /// <summary>When each dormant MN's first entry lapses.</summary>
    public PriorityQueue<string, DateTimeOffset> Lapses { get; } = new();

    /// <summary>The dormant MNs with FFEs through each MAG: they must act if it dies.</summary>
    public Dictionary<MagAddress, List<string>> ForwardingThrough { get; } = [];

    /// <summary>MNs to start now: an FHRQ to resend, or an entry already lapsed.</summary>
    public List<string> StartNow { get; } = [];

    /// <summary>Every MAG a binding or FFE goes through: heartbeats resume for each.</summary>
    public HashSet<MagAddress> Mags { get; } = [];

    /// <summary>Makes <paramref name="id"/> the current MN (flushing the one before), unless it is already.</summary>
    public void Begin(string id)
    {
        if (string.Equals(id, persistenceId, StringComparison.Ordinal)) return;
        Flush();
        persistenceId = id;
        mobileNode = MobileNodeNames.FromPersistenceId(node, id)
            ?? throw new InvalidOperationException($"the journal holds persistence id \"{id}\", which names no MN of {node}");
        key = mobileNode.ToString();
    }

    /// <summary>A BCE of the current MN as a snapshot recorded it.</summary>
    public void SeedBinding(MagAddress mag, HomeNetworkPrefix? prefix, IPAddress? ipv4HomeAddress, AccessTechnologyType accessTechnology,
        TimeSpan lifetime, DateTimeOffset expiresAt)
    {
        var entry = new BindingCacheEntry(mobileNode!, mag, prefix, ipv4HomeAddress, accessTechnology, lifetime, expiresAt);
        bindings[mag] = entry;
        routing?.SetBinding(key, entry);
    }

    /// <summary>An FFE of the current MN as a snapshot recorded it.</summary>
    public void SeedForwarding(FlowKey flow, MagAddress mag, DateTimeOffset expiresAt)
    {
        forwarding[flow] = (mag, expiresAt);
        routing?.SetForwarding(key, flow, mag);
    }

    /// <summary>An FHRQ of the current MN in flight when a snapshot was taken.</summary>
    public void SeedPending(ushort sequence) => pending.Add(sequence);

    public void Add(string id, object @event)
    {
        Begin(id);

        switch (@event)
        {
            case BceCreated e:
                var entry = new BindingCacheEntry(mobileNode!, e.Mag, e.Prefix, e.IPv4HomeAddress, e.AccessTechnology, e.Lifetime, e.ExpiresAt);
                if (bindings.TryGetValue(e.Mag, out var replaced)) routing?.RemoveBinding(key, replaced);
                bindings[e.Mag] = entry;
                routing?.SetBinding(key, entry);
                break;
            case BceRefreshed e:
                if (bindings.TryGetValue(e.Mag, out var refreshed)) bindings[e.Mag] = refreshed with { ExpiresAt = e.ExpiresAt };
                break;
            case BceRemoved e:
                if (bindings.Remove(e.Mag, out var removed)) routing?.RemoveBinding(key, removed);
                break;
            case FhrqIssued e:
                pending.Add(e.Sequence);
                break;
            case FfeCreated e:
                pending.Remove(e.Sequence);
                foreach (var flow in e.Flows)
                {
                    forwarding[FlowKey.Of(flow)] = (e.Mag, e.ExpiresAt);
                    routing?.SetForwarding(key, FlowKey.Of(flow), e.Mag);
                }

                break;
            case FfeRenewed e:
                pending.Remove(e.Sequence);
                foreach (var flow in e.Flows)
                {
                    if (forwarding.TryGetValue(FlowKey.Of(flow), out var ffe)) forwarding[FlowKey.Of(flow)] = (ffe.Mag, e.ExpiresAt);
                }

                break;
            case FfeRemoved e:
                foreach (var flow in e.Flows)
                {
                    if (forwarding.Remove(FlowKey.Of(flow))) routing?.RemoveForwarding(key, FlowKey.Of(flow));
                }

                break;
            case FlowHandoverFailed e:
                pending.Remove(e.Sequence);
                break;
            case FhrqCompleted e:
                pending.Remove(e.Sequence);
                break;
        }
    }

    public void Complete() => Flush();

    private void Flush()
    {
        if (persistenceId is null) return;
        var id = persistenceId;
        snapshot?.Add(id, bindings.Values, forwarding, pending);
        if (routing is null)
        {
            Clear();
            return;
        }

        Dormant.Add(id);
        var first = DateTimeOffset.MaxValue;
        foreach (var (mag, entry) in bindings)
        {
            Mags.Add(mag);
            if (entry.ExpiresAt < first) first = entry.ExpiresAt;
        }

        var through = default(MagAddress?);
        foreach (var (mag, expiresAt) in forwarding.Values)
        {
            Mags.Add(mag);
            if (expiresAt < first) first = expiresAt;
            if (through == mag) continue;
            through = mag;
            if (!ForwardingThrough.TryGetValue(mag, out var ids)) ForwardingThrough[mag] = ids = [];
            if (ids.Count == 0 || !ReferenceEquals(ids[^1], id)) ids.Add(id);
        }

        if (pending.Count > 0 || first <= now) StartNow.Add(id);
        else if (first != DateTimeOffset.MaxValue) Lapses.Enqueue(id, first);
        Clear();
    }

    private void Clear()
    {
        bindings.Clear();
        forwarding.Clear();
        pending.Clear();
        persistenceId = null;
    }
}
