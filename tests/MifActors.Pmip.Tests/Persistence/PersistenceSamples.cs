using System.Net;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.MobilityAccessGateway.Internal;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Persistence;

/// <summary>One value of every event and snapshot type, with every optional field both set and unset somewhere.</summary>
internal static class PersistenceSamples
{
    private static readonly MagAddress Mag = new(PmipLab.WifiAddress);
    private static readonly MagAddress Cellular = new(PmipLab.CellularAddress);
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly MobileNodeIdentifier Placeholder = new(MobileNodeIdentifierSubtype.Nai, ReadOnlyMemory<byte>.Empty);

    public static readonly FlowTuple[] Flows =
    [
        PmipLab.Www,
        PmipLab.Voip with { Source = FlowAddress.AnyIPv6, SourcePort = 0 },
        new(FlowAddress.IPv4(IPAddress.Parse("192.0.2.1")), FlowAddress.AnyIPv4, 80, 0, PhbId.Default, PhbId.FromDscp(10)),
        new(FlowAddress.Prefix(IPAddress.Parse("2001:db8:1::"), 48), FlowAddress.Host(PmipLab.CorrespondentNode), 0, 443, PhbId.Default, PhbId.Default),
    ];

    private static readonly FhrqIssued Issued = new(3, Mag, FhrqPurpose.Renewal, 60, Flows, "www", 4);
    private static readonly FhrqHandled Handled = new(5, FhrqOutcome.Created, Flows, 60, At, FlowHandoverStatus.Success, null);

    /// <summary>By manifest: what the golden vector of that manifest holds.</summary>
    public static IReadOnlyDictionary<string, object> ByManifest { get; } = new Dictionary<string, object>
    {
        ["lma-bce-created.v1"] = new BceCreated(Mag, PmipLab.WifiPrefix, IPAddress.Parse("10.0.0.7"), AccessTechnologyType.Ieee80211, 7, 123456789,
            TimeSpan.FromMinutes(10), At),
        ["lma-bce-refreshed.v1"] = new BceRefreshed(Mag, 8, 123456790, TimeSpan.FromMinutes(10), At),
        ["lma-bce-removed.v1"] = new BceRemoved(Mag, 9, 123456791, "de-registered"),
        ["lma-fhrq-issued.v1"] = Issued,
        ["lma-ffe-created.v1"] = new FfeCreated(3, Mag, Flows, 60, At, null),
        ["lma-ffe-renewed.v1"] = new FfeRenewed(3, Flows, 60, At),
        ["lma-ffe-removed.v1"] = new FfeRemoved(Flows, "ceased"),
        ["lma-flow-handover-failed.v1"] = new FlowHandoverFailed(3, Mag, Flows, "FHRP status 1", At),
        ["lma-fhrq-completed.v1"] = new FhrqCompleted(3),
        ["lma-snapshot.v1"] = new LmaMobileNodeSnapshot(
            [
                new BindingCacheEntry(Placeholder, Cellular, PmipLab.CellularPrefix, null, AccessTechnologyType.EUtran, TimeSpan.FromMinutes(10), At),
                new BindingCacheEntry(Placeholder, Mag, null, IPAddress.Parse("10.0.0.7"), AccessTechnologyType.Ieee80211, TimeSpan.FromMinutes(5), At),
            ],
            [new PbuRecord(Cellular, 2, 99), new PbuRecord(Mag, 5, 100)],
            [new FlowForwardingEntry(Flows[0], Mag, 60, At, "www"), new FlowForwardingEntry(Flows[2], Mag, 30, At, null)],
            [Issued, Issued with { Sequence = 4, Purpose = FhrqPurpose.Cease, ApplicationClass = null, AnswersUnsolicited = null }],
            [new UnsolicitedRecord(Mag, 4)],
            [new FlowHandoverFailure(Flows[1], Cellular, "FHRP status 1", At)],
            4),
        ["mag-bule-created.v1"] = new BuleCreated(PmipLab.WifiPrefix, null, AccessTechnologyType.Ieee80211, 1),
        ["mag-bule-registered.v1"] = new BuleRegistered(1, TimeSpan.FromMinutes(10), At),
        ["mag-bule-removed.v1"] = new BuleRemoved(2, "detached"),
        ["mag-fhrq-handled.v1"] = Handled,
        ["mag-ffe-removed.v1"] = new MagFfeRemoved(Flows, "lifetime expired"),
        ["mag-unsolicited-reply-sent.v1"] = new UnsolicitedReplySent(2, 0, Flows),
        ["mag-snapshot.v1"] = new MagMobileNodeSnapshot(
            new BindingUpdateListEntry(Placeholder, PmipLab.WifiPrefix, IPAddress.Parse("10.0.0.7"), AccessTechnologyType.Ieee80211, 3, true,
                TimeSpan.FromMinutes(10), At),
            3,
            [new MagFlowForwardingEntry(Flows[0], 60, At, 5)],
            Handled with { Outcome = FhrqOutcome.Refused, Status = FlowHandoverStatus.Failure, Reason = "capacity" },
            6,
            2),
    };
}
