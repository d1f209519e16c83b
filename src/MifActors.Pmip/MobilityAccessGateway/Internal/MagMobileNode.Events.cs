using System.Net;
using MifActors.Pmip.Persistence;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway.Internal;

// The events of a MAG MN actor. PmipSerializer writes each under a manifest of its own ("mag-bule-created.v1"); a
// change of fields is a new manifest version, and the old one stays readable (docs/persistence.md).

/// <summary>The MN attached; a PBU goes out once this is durable (RFC 5213 §6.9.1.1).</summary>
internal sealed record BuleCreated(HomeNetworkPrefix Prefix, IPAddress? IPv4HomeAddress, AccessTechnologyType AccessTechnology, ushort Sequence) : IPmipPersistent;

/// <summary>A PBA accepted the PBU numbered <paramref name="Sequence"/> (a registration or a renewal).</summary>
internal sealed record BuleRegistered(ushort Sequence, TimeSpan Lifetime, DateTimeOffset ExpiresAt) : IPmipPersistent;

/// <summary>The BULE went: detach, rejection or expiry.</summary>
internal sealed record BuleRemoved(ushort Sequence, string Reason) : IPmipPersistent;

/// <summary>What an FHRQ did at this MAG.</summary>
internal enum FhrqOutcome
{
    Created,
    Renewed,
    Ceased,
    Refused,
}

/// <summary>
/// One FHRQ, handled: its FFE change and the FHRP it was answered with, in one event so that a crash can never
/// separate the two. A retransmitted FHRQ with this sequence number is answered from here, not applied again.
/// </summary>
internal sealed record FhrqHandled(
    ushort Sequence,
    FhrqOutcome Outcome,
    FlowTuple[] Flows,
    ushort Lifetime,
    DateTimeOffset ExpiresAt,
    FlowHandoverStatus Status,
    string? Reason) : IPmipPersistent;

/// <summary>FFEs went on their own: lifetime expiry (draft §3).</summary>
internal sealed record MagFfeRemoved(FlowTuple[] Flows, string Reason) : IPmipPersistent;

/// <summary>A U-FHRP went out (draft §4.2): a renewal request, or lifetime 0 when the MN left.</summary>
internal sealed record UnsolicitedReplySent(ushort Sequence, ushort Lifetime, FlowTuple[] Flows) : IPmipPersistent;

/// <summary>
/// Everything a MAG MN actor holds, saved every <c>persistence.snapshot-after-events</c> events. The last FHRQ handled
/// is kept as its event: a retransmission of it is answered with the reply that event records.
/// </summary>
internal sealed record MagMobileNodeSnapshot(
    BindingUpdateListEntry? Binding,
    ushort PbuSequence,
    MagFlowForwardingEntry[] Forwarding,
    FhrqHandled? LastHandled,
    int FhrqsApplied,
    ushort UnsolicitedSequence) : IPmipPersistent;
