using System.Net;
using MifActors.Pmip.Persistence;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

// The events of an LMA MN actor. They are the actor's whole state: Apply folds them, recovery replays them.
// PmipSerializer writes each under a manifest of its own ("lma-bce-created.v1"); a change of fields is a new
// manifest version, and the old one stays readable (docs/persistence.md).

/// <summary>A PBU created a BCE (RFC 5213 §5.3.2).</summary>
internal sealed record BceCreated(
    MagAddress Mag,
    HomeNetworkPrefix? Prefix,
    IPAddress? IPv4HomeAddress,
    AccessTechnologyType AccessTechnology,
    ushort Sequence,
    ulong Timestamp,
    TimeSpan Lifetime,
    DateTimeOffset ExpiresAt) : IPmipPersistent;

/// <summary>A PBU refreshed a BCE (RFC 5213 §5.3.3).</summary>
internal sealed record BceRefreshed(MagAddress Mag, ushort Sequence, ulong Timestamp, TimeSpan Lifetime, DateTimeOffset ExpiresAt) : IPmipPersistent;

/// <summary>A BCE went: de-registration (RFC 5213 §5.3.5) or expiry. Sequence and timestamp stay known for replay checks.</summary>
internal sealed record BceRemoved(MagAddress Mag, ushort Sequence, ulong Timestamp, string Reason) : IPmipPersistent;

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
internal sealed record FhrqIssued(
    ushort Sequence,
    MagAddress Mag,
    FhrqPurpose Purpose,
    ushort Lifetime,
    FlowTuple[] Flows,
    string? ApplicationClass,
    ushort? AnswersUnsolicited) : IPmipPersistent;

/// <summary>FHRP status 0 to a handover FHRQ: the LMA's FFEs exist (draft §3).</summary>
internal sealed record FfeCreated(ushort Sequence, MagAddress Mag, FlowTuple[] Flows, ushort Lifetime, DateTimeOffset ExpiresAt, string? ApplicationClass) : IPmipPersistent;

/// <summary>FHRP status 0 to a renewal FHRQ (the LMA's confirmation of a U-FHRP).</summary>
internal sealed record FfeRenewed(ushort Sequence, FlowTuple[] Flows, ushort Lifetime, DateTimeOffset ExpiresAt) : IPmipPersistent;

/// <summary>FFEs went: cease, lifetime expiry, MN out of coverage, or a dead MAG.</summary>
internal sealed record FfeRemoved(FlowTuple[] Flows, string Reason) : IPmipPersistent;

/// <summary>FHRP status 1, or no FHRP at all: traffic stays on the BCE and the failure is on record.</summary>
internal sealed record FlowHandoverFailed(ushort Sequence, MagAddress Mag, FlowTuple[] Flows, string Reason, DateTimeOffset At) : IPmipPersistent;

/// <summary>A cease or a failed renewal was answered (or given up on); nothing else changes.</summary>
internal sealed record FhrqCompleted(ushort Sequence) : IPmipPersistent;

/// <summary>The last PBU accepted from one MAG (RFC 5213 §5.5): kept after its BCE goes, for the replay check.</summary>
internal readonly record struct PbuRecord(MagAddress Mag, ushort Sequence, ulong Timestamp);

/// <summary>The newest U-FHRP sequence number answered for one MAG.</summary>
internal readonly record struct UnsolicitedRecord(MagAddress Mag, ushort Sequence);

/// <summary>Everything an LMA MN actor holds, saved every <c>persistence.snapshot-after-events</c> events.</summary>
internal sealed record LmaMobileNodeSnapshot(
    BindingCacheEntry[] Bindings,
    PbuRecord[] LastPbu,
    FlowForwardingEntry[] Forwarding,
    FhrqIssued[] Pending,
    UnsolicitedRecord[] LastUnsolicited,
    FlowHandoverFailure[] Failures,
    ushort LastSequence) : IPmipPersistent;
