using System.Net;
using MifActors.Persistence;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

// The events of an LMA MN actor. They are the actor's whole state: Apply folds them, recovery replays them. The
// manifests name them in the journal (see JournalMobilityStateStore); change one only with a new type.

/// <summary>A PBU created a BCE (RFC 5213 §5.3.2).</summary>
[PersistentManifest("pmip.lma.bce-created.v1")]
internal sealed record BceCreated(
    MagAddress Mag,
    HomeNetworkPrefix? Prefix,
    IPAddress? IPv4HomeAddress,
    AccessTechnologyType AccessTechnology,
    ushort Sequence,
    ulong Timestamp,
    TimeSpan Lifetime,
    DateTimeOffset ExpiresAt);

/// <summary>A PBU refreshed a BCE (RFC 5213 §5.3.3).</summary>
[PersistentManifest("pmip.lma.bce-refreshed.v1")]
internal sealed record BceRefreshed(MagAddress Mag, ushort Sequence, ulong Timestamp, TimeSpan Lifetime, DateTimeOffset ExpiresAt);

/// <summary>A BCE went: de-registration (RFC 5213 §5.3.5) or expiry. Sequence and timestamp stay known for replay checks.</summary>
[PersistentManifest("pmip.lma.bce-removed.v1")]
internal sealed record BceRemoved(MagAddress Mag, ushort Sequence, ulong Timestamp, string Reason);

/// <summary>What an FHRQ is for.</summary>
internal enum FhrqPurpose
{
    Handover,
    Renewal,
    Cease,
}

/// <summary>
/// An FHRQ was decided and will be (re)sent until answered. Persisted so a restarted LMA resumes the handover and never
/// reuses the sequence number.
/// </summary>
[PersistentManifest("pmip.lma.fhrq-issued.v1")]
internal sealed record FhrqIssued(
    ushort Sequence,
    MagAddress Mag,
    FhrqPurpose Purpose,
    ushort Lifetime,
    FlowTuple[] Flows,
    string? ApplicationClass,
    ushort? AnswersUnsolicited);

/// <summary>FHRP status 0 to a handover FHRQ: the LMA's FFEs exist (draft §3).</summary>
[PersistentManifest("pmip.lma.ffe-created.v1")]
internal sealed record FfeCreated(ushort Sequence, MagAddress Mag, FlowTuple[] Flows, ushort Lifetime, DateTimeOffset ExpiresAt, string? ApplicationClass);

/// <summary>FHRP status 0 to a renewal FHRQ (the LMA's confirmation of a U-FHRP).</summary>
[PersistentManifest("pmip.lma.ffe-renewed.v1")]
internal sealed record FfeRenewed(ushort Sequence, FlowTuple[] Flows, ushort Lifetime, DateTimeOffset ExpiresAt);

/// <summary>FFEs went: cease, lifetime expiry, MN out of coverage, or a dead MAG.</summary>
[PersistentManifest("pmip.lma.ffe-removed.v1")]
internal sealed record FfeRemoved(FlowTuple[] Flows, string Reason);

/// <summary>FHRP status 1, or no FHRP at all: traffic stays on the BCE and the failure is on record.</summary>
[PersistentManifest("pmip.lma.flow-handover-failed.v1")]
internal sealed record FlowHandoverFailed(ushort Sequence, MagAddress Mag, FlowTuple[] Flows, string Reason, DateTimeOffset At);

/// <summary>A cease or a failed renewal was answered (or given up on); nothing else changes.</summary>
[PersistentManifest("pmip.lma.fhrq-completed.v1")]
internal sealed record FhrqCompleted(ushort Sequence);
