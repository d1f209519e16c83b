using System.Net;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor;

/// <summary>
/// A Binding Cache entry (RFC 5213 §5.1): one per attachment of an MN, i.e. per MAG it is attached through.
/// </summary>
/// <param name="MobileNode">The MN-ID the MAG registered (RFC 4283).</param>
/// <param name="Mag">The MAG's address, the tunnel end (Proxy-CoA).</param>
/// <param name="Prefix">The Home Network Prefix of this attachment (RFC 5213 §8.3).</param>
/// <param name="IPv4HomeAddress">The IPv4 home address, if one was granted (RFC 5844).</param>
/// <param name="AccessTechnology">The attachment's access technology (RFC 5213 §8.5).</param>
/// <param name="Lifetime">Granted lifetime.</param>
/// <param name="ExpiresAt">When the entry lapses without a refresh.</param>
public sealed record BindingCacheEntry(
    MobileNodeIdentifier MobileNode,
    MagAddress Mag,
    HomeNetworkPrefix? Prefix,
    IPAddress? IPv4HomeAddress,
    AccessTechnologyType AccessTechnology,
    TimeSpan Lifetime,
    DateTimeOffset ExpiresAt);

/// <summary>
/// A Flow Forwarding Entry at the LMA (draft-koodli-flow-handover-00 §3): matching traffic goes to <paramref name="Mag"/>
/// instead of the MAG of its BCE.
/// </summary>
public sealed record FlowForwardingEntry(FlowTuple Flow, MagAddress Mag, ushort Lifetime, DateTimeOffset ExpiresAt, string? ApplicationClass);

/// <summary>A flow handover that did not happen: FHRP status 1, or no FHRP after the last retransmission.</summary>
public sealed record FlowHandoverFailure(FlowTuple Flow, MagAddress Mag, string Reason, DateTimeOffset At);

/// <summary>
/// The flow handover trigger (draft §3): a new application flow of an MN, from the data plane or an operator. The LMA
/// checks whether it is best-mapped and, if not, sends an FHRQ to the MAG of the preferred access technology.
/// </summary>
/// <param name="MobileNode">The MN the flow belongs to.</param>
/// <param name="Flow">The flow tuple, with wildcards if it names a set of flows.</param>
/// <param name="Protocol">IP protocol (6 TCP, 17 UDP), if known: application classes may match on it.</param>
/// <param name="ApplicationClass">The application class, if the notifier knows it; else the LMA classifies by ports.</param>
public sealed record FlowStarted(MobileNodeIdentifier MobileNode, FlowTuple Flow, byte? Protocol = null, string? ApplicationClass = null);

/// <summary>The flow ended (draft §3, "termination of an application flow"): the LMA ceases its forwarding (C = 1).</summary>
public sealed record FlowEnded(MobileNodeIdentifier MobileNode, FlowTuple Flow);

/// <summary>An operator's request to stop forwarding a flow through its T-MAG (FHRQ with C = 1).</summary>
public sealed record CeaseFlowForwarding(MobileNodeIdentifier MobileNode, FlowTuple Flow);

/// <summary>What the LMA made of a <see cref="FlowStarted"/>, <see cref="FlowEnded"/> or <see cref="CeaseFlowForwarding"/>.</summary>
public enum FlowDecisionKind
{
    /// <summary>Already on the best access technology: nothing to do (draft §3).</summary>
    BestMapped,

    /// <summary>An FHRQ went to the target MAG; the outcome shows in the MN's state.</summary>
    HandoverRequested,

    /// <summary>An FHRQ with C = 1 went to the MAG forwarding the flow.</summary>
    CeaseRequested,

    /// <summary>An FHRQ for this flow is still waiting for its FHRP.</summary>
    InProgress,

    /// <summary>No BCE of the MN holds the flow's HNP or IPv4 home address.</summary>
    NoBinding,

    /// <summary>No application class matches, or the MN has no attachment of a preferred access technology.</summary>
    NoPolicy,

    /// <summary>No FFE for the flow, so nothing to cease.</summary>
    NotForwarded,
}

/// <summary>The reply to a flow notification.</summary>
public sealed record FlowDecision(FlowTuple Flow, FlowDecisionKind Kind, MagAddress Target);

/// <summary>Asks the LMA for one MN's state; the reply is <see cref="LmaMobileNodeState"/>.</summary>
public sealed record GetLmaMobileNode(MobileNodeIdentifier MobileNode);

/// <summary>One MN as the LMA holds it: its BCEs, FFEs, recorded handover failures, and how many FHRQs await an FHRP.</summary>
public sealed record LmaMobileNodeState(
    MobileNodeIdentifier MobileNode,
    IReadOnlyList<BindingCacheEntry> Bindings,
    IReadOnlyList<FlowForwardingEntry> FlowForwardingEntries,
    IReadOnlyList<FlowHandoverFailure> Failures,
    int PendingRequests);

/// <summary>
/// Published on the LMA system's <c>EventStream</c> once an FFE made by a handover is durable and
/// <see cref="Lma.Route"/> uses it: the end of a handover as the data plane sees it. Publishing costs nothing
/// without subscribers.
/// </summary>
public sealed record FlowForwardingInstalled(MobileNodeIdentifier MobileNode, FlowForwardingEntry Entry);

/// <summary>
/// Published on the LMA system's <c>EventStream</c> once a handover's failure is durable (FHRP status 1, or no FHRP
/// after the last retransmission): the flow stays on its BCE.
/// </summary>
public sealed record FlowHandoverFailureRecorded(MobileNodeIdentifier MobileNode, FlowHandoverFailure Failure);

/// <summary>Heartbeats found a MAG dead (RFC 5847 §5): the LMA's FFEs through it fall back to the BCEs.</summary>
public sealed record MagUnreachable(MagAddress Mag);
