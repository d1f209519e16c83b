using System.Net;
using MifActors.Persistence;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway.Internal;

// The events of a MAG MN actor. The manifests name them in the journal
// (see JournalMobilityStateStore); change one only with a new type.

/// <summary>The MN attached; a PBU goes out once this is durable (RFC 5213 §6.9.1.1).</summary>
[PersistentManifest("pmip.mag.bule-created.v1")]
internal sealed record BuleCreated(HomeNetworkPrefix Prefix, IPAddress? IPv4HomeAddress, AccessTechnologyType AccessTechnology, ushort Sequence);

/// <summary>A PBA accepted the PBU numbered <paramref name="Sequence"/> (a registration or a renewal).</summary>
[PersistentManifest("pmip.mag.bule-registered.v1")]
internal sealed record BuleRegistered(ushort Sequence, TimeSpan Lifetime, DateTimeOffset ExpiresAt);

/// <summary>The BULE went: detach, rejection or expiry.</summary>
[PersistentManifest("pmip.mag.bule-removed.v1")]
internal sealed record BuleRemoved(ushort Sequence, string Reason);

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
[PersistentManifest("pmip.mag.fhrq-handled.v1")]
internal sealed record FhrqHandled(
    ushort Sequence,
    FhrqOutcome Outcome,
    FlowTuple[] Flows,
    ushort Lifetime,
    DateTimeOffset ExpiresAt,
    FlowHandoverStatus Status,
    string? Reason);

/// <summary>FFEs went on their own: lifetime expiry (draft §3).</summary>
[PersistentManifest("pmip.mag.ffe-removed.v1")]
internal sealed record MagFfeRemoved(FlowTuple[] Flows, string Reason);

/// <summary>A U-FHRP went out (draft §4.2): a renewal request, or lifetime 0 when the MN left.</summary>
[PersistentManifest("pmip.mag.unsolicited-reply-sent.v1")]
internal sealed record UnsolicitedReplySent(ushort Sequence, ushort Lifetime, FlowTuple[] Flows);
