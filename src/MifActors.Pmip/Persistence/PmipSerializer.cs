using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.MobilityAccessGateway.Internal;
using MifActors.Pmip.Persistence.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Persistence;

/// <summary>
/// The journal and snapshot form of every MN event and snapshot: compact little-endian binary (see
/// <see cref="PmipWriter"/>), one manifest per type and version (<c>lma-bce-created.v1</c>). A type whose fields change
/// gets a new version, written from then on; the older versions stay in <see cref="FromBinary"/> for good, so a journal
/// written by any earlier build recovers. Bound in <c>hocon/pmip.conf</c> to everything that is
/// <see cref="IPmipPersistent"/>.
/// </summary>
public sealed class PmipSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stored with every row this serializer wrote: never change it.</summary>
    public const int Id = 5436;

    public override int Identifier => Id;

    /// <summary>Every manifest this build writes, one per type.</summary>
    public static IReadOnlyList<string> Manifests { get; } =
    [
        "lma-bce-created.v1", "lma-bce-refreshed.v1", "lma-bce-removed.v1", "lma-fhrq-issued.v1", "lma-ffe-created.v1",
        "lma-ffe-renewed.v1", "lma-ffe-removed.v1", "lma-flow-handover-failed.v1", "lma-fhrq-completed.v1", "lma-snapshot.v1",
        "mag-bule-created.v1", "mag-bule-registered.v1", "mag-bule-removed.v1", "mag-fhrq-handled.v1", "mag-ffe-removed.v1",
        "mag-unsolicited-reply-sent.v1", "mag-snapshot.v1",
    ];

    // MN ids are not part of an MN's own events (its persistence id says whose they are); entries that carry one get this
    // placeholder, which the actor replaces with its own.
    private static readonly MobileNodeIdentifier Placeholder = new(MobileNodeIdentifierSubtype.Nai, ReadOnlyMemory<byte>.Empty);

    public override string Manifest(object o) => o switch
    {
        BceCreated => "lma-bce-created.v1",
        BceRefreshed => "lma-bce-refreshed.v1",
        BceRemoved => "lma-bce-removed.v1",
        FhrqIssued => "lma-fhrq-issued.v1",
        FfeCreated => "lma-ffe-created.v1",
        FfeRenewed => "lma-ffe-renewed.v1",
        FfeRemoved => "lma-ffe-removed.v1",
        FlowHandoverFailed => "lma-flow-handover-failed.v1",
        FhrqCompleted => "lma-fhrq-completed.v1",
        LmaMobileNodeSnapshot => "lma-snapshot.v1",
        BuleCreated => "mag-bule-created.v1",
        BuleRegistered => "mag-bule-registered.v1",
        BuleRemoved => "mag-bule-removed.v1",
        FhrqHandled => "mag-fhrq-handled.v1",
        MagFfeRemoved => "mag-ffe-removed.v1",
        UnsolicitedReplySent => "mag-unsolicited-reply-sent.v1",
        MagMobileNodeSnapshot => "mag-snapshot.v1",
        _ => throw new SerializationException($"{o.GetType().FullName} is not a PMIP event or snapshot; PmipSerializer cannot write it"),
    };

    public override byte[] ToBinary(object obj)
    {
        var w = new PmipWriter();
        switch (obj)
        {
            case BceCreated e:
                w.Mag(e.Mag);
                w.Prefix(e.Prefix);
                w.Address(e.IPv4HomeAddress);
                w.Byte((byte)e.AccessTechnology);
                w.U16(e.Sequence);
                w.U64(e.Timestamp);
                w.Duration(e.Lifetime);
                w.Time(e.ExpiresAt);
                break;
            case BceRefreshed e:
                w.Mag(e.Mag);
                w.U16(e.Sequence);
                w.U64(e.Timestamp);
                w.Duration(e.Lifetime);
                w.Time(e.ExpiresAt);
                break;
            case BceRemoved e:
                w.Mag(e.Mag);
                w.U16(e.Sequence);
                w.U64(e.Timestamp);
                w.String(e.Reason);
                break;
            case FhrqIssued e:
                WriteRequest(w, e);
                break;
            case FfeCreated e:
                w.U16(e.Sequence);
                w.Mag(e.Mag);
                w.Flows(e.Flows);
                w.U16(e.Lifetime);
                w.Time(e.ExpiresAt);
                w.OptionalString(e.ApplicationClass);
                break;
            case FfeRenewed e:
                w.U16(e.Sequence);
                w.Flows(e.Flows);
                w.U16(e.Lifetime);
                w.Time(e.ExpiresAt);
                break;
            case FfeRemoved e:
                w.Flows(e.Flows);
                w.String(e.Reason);
                break;
            case FlowHandoverFailed e:
                w.U16(e.Sequence);
                w.Mag(e.Mag);
                w.Flows(e.Flows);
                w.String(e.Reason);
                w.Time(e.At);
                break;
            case FhrqCompleted e:
                w.U16(e.Sequence);
                break;
            case LmaMobileNodeSnapshot s:
                WriteLmaSnapshot(w, s);
                break;
            case BuleCreated e:
                w.Prefix(e.Prefix);
                w.Address(e.IPv4HomeAddress);
                w.Byte((byte)e.AccessTechnology);
                w.U16(e.Sequence);
                break;
            case BuleRegistered e:
                w.U16(e.Sequence);
                w.Duration(e.Lifetime);
                w.Time(e.ExpiresAt);
                break;
            case BuleRemoved e:
                w.U16(e.Sequence);
                w.String(e.Reason);
                break;
            case FhrqHandled e:
                WriteHandled(w, e);
                break;
            case MagFfeRemoved e:
                w.Flows(e.Flows);
                w.String(e.Reason);
                break;
            case UnsolicitedReplySent e:
                w.U16(e.Sequence);
                w.U16(e.Lifetime);
                w.Flows(e.Flows);
                break;
            case MagMobileNodeSnapshot s:
                WriteMagSnapshot(w, s);
                break;
            default:
                throw new SerializationException($"{obj.GetType().FullName} is not a PMIP event or snapshot; PmipSerializer cannot write it");
        }

        return w.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var r = new PmipReader(bytes, manifest);
        object result = manifest switch
        {
            "lma-bce-created.v1" => new BceCreated(r.Mag(), r.Prefix(), r.Address(), Technology(ref r), r.U16(), r.U64(), r.Duration(), r.Time()),
            "lma-bce-refreshed.v1" => new BceRefreshed(r.Mag(), r.U16(), r.U64(), r.Duration(), r.Time()),
            "lma-bce-removed.v1" => new BceRemoved(r.Mag(), r.U16(), r.U64(), r.String()),
            "lma-fhrq-issued.v1" => ReadRequest(ref r),
            "lma-ffe-created.v1" => new FfeCreated(r.U16(), r.Mag(), r.Flows(), r.U16(), r.Time(), r.OptionalString()),
            "lma-ffe-renewed.v1" => new FfeRenewed(r.U16(), r.Flows(), r.U16(), r.Time()),
            "lma-ffe-removed.v1" => new FfeRemoved(r.Flows(), r.String()),
            "lma-flow-handover-failed.v1" => new FlowHandoverFailed(r.U16(), r.Mag(), r.Flows(), r.String(), r.Time()),
            "lma-fhrq-completed.v1" => new FhrqCompleted(r.U16()),
            "lma-snapshot.v1" => ReadLmaSnapshot(ref r),
            "mag-bule-created.v1" => new BuleCreated(r.Prefix() ?? throw r.Error("a BULE has no prefix"), r.Address(), Technology(ref r), r.U16()),
            "mag-bule-registered.v1" => new BuleRegistered(r.U16(), r.Duration(), r.Time()),
            "mag-bule-removed.v1" => new BuleRemoved(r.U16(), r.String()),
            "mag-fhrq-handled.v1" => ReadHandled(ref r),
            "mag-ffe-removed.v1" => new MagFfeRemoved(r.Flows(), r.String()),
            "mag-unsolicited-reply-sent.v1" => new UnsolicitedReplySent(r.U16(), r.U16(), r.Flows()),
            "mag-snapshot.v1" => ReadMagSnapshot(ref r),
            _ => throw new SerializationException(
                $"PmipSerializer does not know the manifest \"{manifest}\": the journal was written by a newer build, or is not a PMIP journal"),
        };
        r.End();
        return result;
    }

    private static AccessTechnologyType Technology(ref PmipReader r) => (AccessTechnologyType)r.Byte();

    private static void WriteRequest(PmipWriter w, FhrqIssued e)
    {
        w.U16(e.Sequence);
        w.Mag(e.Mag);
        w.Byte((byte)e.Purpose);
        w.U16(e.Lifetime);
        w.Flows(e.Flows);
        w.OptionalString(e.ApplicationClass);
        w.OptionalU16(e.AnswersUnsolicited);
    }

    private static FhrqIssued ReadRequest(ref PmipReader r)
    {
        var sequence = r.U16();
        var mag = r.Mag();
        var purpose = r.Byte() is var p && p <= (byte)FhrqPurpose.Cease ? (FhrqPurpose)p : throw r.Error($"FHRQ purpose {p} is not 0-2");
        return new FhrqIssued(sequence, mag, purpose, r.U16(), r.Flows(), r.OptionalString(), r.OptionalU16());
    }

    private static void WriteHandled(PmipWriter w, FhrqHandled e)
    {
        w.U16(e.Sequence);
        w.Byte((byte)e.Outcome);
        w.Flows(e.Flows);
        w.U16(e.Lifetime);
        w.Time(e.ExpiresAt);
        w.Byte((byte)e.Status);
        w.OptionalString(e.Reason);
    }

    private static FhrqHandled ReadHandled(ref PmipReader r)
    {
        var sequence = r.U16();
        var outcome = r.Byte() is var o && o <= (byte)FhrqOutcome.Refused ? (FhrqOutcome)o : throw r.Error($"FHRQ outcome {o} is not 0-3");
        return new FhrqHandled(sequence, outcome, r.Flows(), r.U16(), r.Time(), (FlowHandoverStatus)r.Byte(), r.OptionalString());
    }

    private static void WriteLmaSnapshot(PmipWriter w, LmaMobileNodeSnapshot s)
    {
        w.I32(s.Bindings.Length);
        foreach (var b in s.Bindings)
        {
            w.Mag(b.Mag);
            w.Prefix(b.Prefix);
            w.Address(b.IPv4HomeAddress);
            w.Byte((byte)b.AccessTechnology);
            w.Duration(b.Lifetime);
            w.Time(b.ExpiresAt);
        }

        w.I32(s.LastPbu.Length);
        foreach (var p in s.LastPbu)
        {
            w.Mag(p.Mag);
            w.U16(p.Sequence);
            w.U64(p.Timestamp);
        }

        w.I32(s.Forwarding.Length);
        foreach (var f in s.Forwarding)
        {
            w.Flow(f.Flow);
            w.Mag(f.Mag);
            w.U16(f.Lifetime);
            w.Time(f.ExpiresAt);
            w.OptionalString(f.ApplicationClass);
        }

        w.I32(s.Pending.Length);
        foreach (var request in s.Pending) WriteRequest(w, request);
        w.I32(s.LastUnsolicited.Length);
        foreach (var u in s.LastUnsolicited)
        {
            w.Mag(u.Mag);
            w.U16(u.Sequence);
        }

        w.I32(s.Failures.Length);
        foreach (var f in s.Failures)
        {
            w.Flow(f.Flow);
            w.Mag(f.Mag);
            w.String(f.Reason);
            w.Time(f.At);
        }

        w.U16(s.LastSequence);
    }

    private static LmaMobileNodeSnapshot ReadLmaSnapshot(ref PmipReader r)
    {
        var bindings = new BindingCacheEntry[r.Count(minimumSize: 20)];
        for (var i = 0; i < bindings.Length; i++)
            bindings[i] = new BindingCacheEntry(Placeholder, r.Mag(), r.Prefix(), r.Address(), Technology(ref r), r.Duration(), r.Time());
        var lastPbu = new PbuRecord[r.Count(minimumSize: 11)];
        for (var i = 0; i < lastPbu.Length; i++) lastPbu[i] = new PbuRecord(r.Mag(), r.U16(), r.U64());
        var forwarding = new FlowForwardingEntry[r.Count(minimumSize: 56)];
        for (var i = 0; i < forwarding.Length; i++) forwarding[i] = new FlowForwardingEntry(r.Flow(), r.Mag(), r.U16(), r.Time(), r.OptionalString());
        var pending = new FhrqIssued[r.Count(minimumSize: 10)];
        for (var i = 0; i < pending.Length; i++) pending[i] = ReadRequest(ref r);
        var unsolicited = new UnsolicitedRecord[r.Count(minimumSize: 3)];
        for (var i = 0; i < unsolicited.Length; i++) unsolicited[i] = new UnsolicitedRecord(r.Mag(), r.U16());
        var failures = new FlowHandoverFailure[r.Count(minimumSize: 55)];
        for (var i = 0; i < failures.Length; i++) failures[i] = new FlowHandoverFailure(r.Flow(), r.Mag(), r.String(), r.Time());
        return new LmaMobileNodeSnapshot(bindings, lastPbu, forwarding, pending, unsolicited, failures, r.U16());
    }

    private static void WriteMagSnapshot(PmipWriter w, MagMobileNodeSnapshot s)
    {
        w.Bool(s.Binding is not null);
        if (s.Binding is { } b)
        {
            w.Prefix(b.Prefix);
            w.Address(b.IPv4HomeAddress);
            w.Byte((byte)b.AccessTechnology);
            w.U16(b.Sequence);
            w.Bool(b.Registered);
            w.Duration(b.Lifetime);
            w.Time(b.ExpiresAt);
        }

        w.U16(s.PbuSequence);
        w.I32(s.Forwarding.Length);
        foreach (var f in s.Forwarding)
        {
            w.Flow(f.Flow);
            w.U16(f.Lifetime);
            w.Time(f.ExpiresAt);
            w.U16(f.Sequence);
        }

        w.Bool(s.LastHandled is not null);
        if (s.LastHandled is { } handled) WriteHandled(w, handled);
        w.I32(s.FhrqsApplied);
        w.U16(s.UnsolicitedSequence);
    }

    private static MagMobileNodeSnapshot ReadMagSnapshot(ref PmipReader r)
    {
        BindingUpdateListEntry? binding = null;
        if (r.Bool())
        {
            binding = new BindingUpdateListEntry(Placeholder, r.Prefix() ?? throw r.Error("a BULE has no prefix"), r.Address(), Technology(ref r),
                r.U16(), r.Bool(), r.Duration(), r.Time());
        }

        var pbuSequence = r.U16();
        var forwarding = new MagFlowForwardingEntry[r.Count(minimumSize: 56)];
        for (var i = 0; i < forwarding.Length; i++) forwarding[i] = new MagFlowForwardingEntry(r.Flow(), r.U16(), r.Time(), r.U16());
        var lastHandled = r.Bool() ? ReadHandled(ref r) : null;
        return new MagMobileNodeSnapshot(binding, pbuSequence, forwarding, lastHandled, r.I32(), r.U16());
    }
}
