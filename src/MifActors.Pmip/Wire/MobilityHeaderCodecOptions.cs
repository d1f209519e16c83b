namespace MifActors.Pmip.Wire;

/// <summary>
/// The numbers IANA never assigned for draft-koodli-flow-handover-00, and how strict decoding is.
/// Both ends of a link must use the same values. Why each default was chosen is in docs/pmip-wire.md.
/// </summary>
public sealed record MobilityHeaderCodecOptions
{
    public static MobilityHeaderCodecOptions Default { get; } = new();

    /// <summary>
    /// MH type shared by FHRQ and FHRP (draft §6 asks IANA for one and never got it). Default 200: the IANA
    /// registry assigns MH types from 0 upwards and has not reached 30, so 200 is unassigned and stays clear of
    /// the next assignments for a long time.
    /// </summary>
    public byte FlowHandoverMhType { get; init; } = 200;

    /// <summary>
    /// Option type of the flow tuple's IPv6 address/prefix (draft §4.3.1: "the same as the Home Network Prefix
    /// option"). Default 22, the HNP option type itself, which is what the draft's wording says.
    /// </summary>
    public byte FlowIPv6AddressOptionType { get; init; } = 22;

    /// <summary>Option type of the flow tuple's IPv4 address (draft §4.3.2, unassigned). Default 201.</summary>
    public byte FlowIPv4AddressOptionType { get; init; } = 201;

    /// <summary>Option type of the flow tuple's port numbers (draft §4.3.3, unassigned). Default 202.</summary>
    public byte FlowPortsOptionType { get; init; } = 202;

    /// <summary>Option type of the flow tuple's QoS (RFC 3140 PHB id, draft §4.3.4, unassigned). Default 203.</summary>
    public byte FlowQosOptionType { get; init; } = 203;

    /// <summary>
    /// Subtype written in the mobility message authentication option (RFC 4285 §5: 1 = MN-HA, 2 = MN-AAA).
    /// Default 1: LMA and MAG share a per-peer key as a mobile node and its home agent do.
    /// </summary>
    public byte AuthenticationSubtype { get; init; } = 1;

    /// <summary>
    /// RFC 6275 §6.2.1 says unknown options are skipped; set this to reject them instead. Unknown options inside an
    /// FHRQ/FHRP flow tuple are always rejected, because the draft fixes a tuple's elements and their order.
    /// </summary>
    public bool RejectUnknownOptions { get; init; }
}
