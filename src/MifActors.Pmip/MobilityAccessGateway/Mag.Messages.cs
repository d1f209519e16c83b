using System.Net;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway;

/// <summary>An MN interface attached to this MAG's access link (RFC 5213 §6.9.1.1): the MAG registers it with a PBU.</summary>
/// <param name="MobileNode">The MN-ID (from access authentication in a real network).</param>
/// <param name="Prefix">The Home Network Prefix to register for the attachment.</param>
/// <param name="IPv4HomeAddress">An IPv4 home address to request (RFC 5844), if any.</param>
public sealed record MobileNodeAttached(MobileNodeIdentifier MobileNode, HomeNetworkPrefix Prefix, IPAddress? IPv4HomeAddress = null);

/// <summary>The MN left this MAG's link (RFC 5213 §6.9.1.2): de-registration, and U-FHRP with lifetime 0 for its FFEs.</summary>
public sealed record MobileNodeDetached(MobileNodeIdentifier MobileNode);

/// <summary>A Binding Update List entry (RFC 5213 §6.1); <c>Registered</c> once a PBA accepted it.</summary>
public sealed record BindingUpdateListEntry(
    MobileNodeIdentifier MobileNode,
    HomeNetworkPrefix Prefix,
    IPAddress? IPv4HomeAddress,
    AccessTechnologyType AccessTechnology,
    ushort Sequence,
    bool Registered,
    TimeSpan Lifetime,
    DateTimeOffset ExpiresAt);

/// <summary>A Flow Forwarding Entry at the T-MAG (draft-koodli-flow-handover-00 §3), made by the FHRQ numbered <paramref name="Sequence"/>.</summary>
public sealed record MagFlowForwardingEntry(FlowTuple Flow, ushort Lifetime, DateTimeOffset ExpiresAt, ushort Sequence);

/// <summary>Asks the MAG for one MN's state; the reply is <see cref="MagMobileNodeState"/>.</summary>
public sealed record GetMagMobileNode(MobileNodeIdentifier MobileNode);

/// <summary>
/// One MN as the MAG holds it. <c>LastHandledSequence</c> is the last FHRQ handled; a retransmission of it gets
/// <c>StoredReply</c> again. <c>FhrqsApplied</c> counts the FHRQs handled here: a duplicate never adds one.
/// </summary>
public sealed record MagMobileNodeState(
    MobileNodeIdentifier MobileNode,
    BindingUpdateListEntry? Binding,
    IReadOnlyList<MagFlowForwardingEntry> FlowForwardingEntries,
    ushort? LastHandledSequence,
    FlowHandoverReply? StoredReply,
    int FhrqsApplied);
