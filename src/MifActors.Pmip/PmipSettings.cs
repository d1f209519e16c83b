using System.Globalization;
using Microsoft.Extensions.Configuration;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip;

/// <summary>
/// The settings of the LMA and MAG nodes, bound from <c>mifactors:pmip</c>. Every default lives in the reference
/// configuration, <c>hocon/reference.conf</c>, and none is repeated here.
/// </summary>
public sealed record PmipSettings
{
    /// <summary>UDP port the Mobility Header is carried on (RFC 5844 §3 / Wireshark's mip6 port).</summary>
    public int UdpPort { get; init; }

    /// <summary>SO_RCVBUF of the Mobility Header UDP socket, in bytes (the kernel may cap it).</summary>
    public int UdpReceiveBuffer { get; init; }

    /// <summary>Lifetime a MAG asks for in its PBU, and the most the LMA grants (RFC 5213 §6.9.1.1).</summary>
    public TimeSpan BindingLifetime { get; init; }

    /// <summary>How long before its BULE expires a MAG sends the renewing PBU.</summary>
    public TimeSpan BindingRefreshBefore { get; init; }

    /// <summary>First PBU retransmission delay; it doubles on each retry (RFC 5213 §6.9.4).</summary>
    public TimeSpan PbuInitialRetransmit { get; init; }

    public int PbuMaxTries { get; init; }

    /// <summary>First FHRQ retransmission delay; it doubles on each retry.</summary>
    public TimeSpan FhrqInitialRetransmit { get; init; }

    /// <summary>FHRQ transmissions (the first one included) before the LMA gives up and records a failure.</summary>
    public int FhrqMaxTries { get; init; }

    /// <summary>Forwarding lifetime the LMA asks for in an FHRQ (draft §4.1, seconds on the wire).</summary>
    public TimeSpan FlowLifetime { get; init; }

    /// <summary>How long before an FFE expires the MAG sends a renewing U-FHRP; zero turns renewal off.</summary>
    public TimeSpan FfeRenewBefore { get; init; }

    /// <summary>Heartbeat request period per peer (RFC 5847 §5.2 HEARTBEAT_INTERVAL).</summary>
    public TimeSpan HeartbeatInterval { get; init; }

    /// <summary>Unanswered heartbeats after which the peer is declared dead (RFC 5847 MISSING_HEARTBEATS_ALLOWED).</summary>
    public int HeartbeatMissedLimit { get; init; }

    /// <summary>How often the LMA considers writing a node snapshot (<c>lma.snapshot-interval</c>); zero turns snapshots off.</summary>
    public TimeSpan LmaSnapshotInterval { get; init; }

    /// <summary>Events the LMA's MNs must have written since the last snapshot before it writes another (<c>lma.snapshot-after-events</c>).</summary>
    public int LmaSnapshotAfterEvents { get; init; }

    /// <summary>How far a PBU's timestamp may be from the LMA's clock (RFC 5213 §5.5 TimestampValidityWindow).</summary>
    public TimeSpan ReplayWindow { get; init; }

    /// <summary>FFEs a MAG admits in total (admission control, draft §3 "verifies that it can support the requested flow").</summary>
    public int MagFfeCapacity { get; init; }

    /// <summary>DSCPs a MAG admits in a flow's QoS; empty admits all.</summary>
    public IReadOnlySet<int> MagAdmittedDscp { get; init; } = new HashSet<int>();

    /// <summary>The unassigned numbers and decoding strictness (see docs/pmip-wire.md).</summary>
    public MobilityHeaderCodecOptions Codec { get; init; } = MobilityHeaderCodecOptions.Default;

    /// <summary>Application classes and per-MN overrides the LMA decides "best-mapped" with.</summary>
    public PolicyProfiles Policy { get; init; } = PolicyProfiles.Empty;

    public static PmipSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("mifactors:pmip");
        return new PmipSettings
        {
            UdpPort = ConfigReader.GetInt(section, "udp-port", min: 0),
            UdpReceiveBuffer = ConfigReader.GetInt(section, "udp-receive-buffer", min: 1),
            BindingLifetime = Positive(section, "binding-lifetime"),
            BindingRefreshBefore = ConfigReader.GetDuration(section, "binding-refresh-before"),
            PbuInitialRetransmit = Positive(section, "pbu-initial-retransmit"),
            PbuMaxTries = ConfigReader.GetInt(section, "pbu-max-tries", min: 1),
            FhrqInitialRetransmit = Positive(section, "fhrq-initial-retransmit"),
            FhrqMaxTries = ConfigReader.GetInt(section, "fhrq-max-tries", min: 1),
            FlowLifetime = Positive(section, "flow-lifetime"),
            FfeRenewBefore = ConfigReader.GetDuration(section, "ffe-renew-before"),
            HeartbeatInterval = Positive(section, "heartbeat-interval"),
            HeartbeatMissedLimit = ConfigReader.GetInt(section, "heartbeat-missed-limit", min: 1),
            ReplayWindow = Positive(section, "replay-window"),
            LmaSnapshotInterval = ConfigReader.GetDuration(section, "lma:snapshot-interval"),
            LmaSnapshotAfterEvents = ConfigReader.GetInt(section, "lma:snapshot-after-events", min: 1),
            MagFfeCapacity = ConfigReader.GetInt(section, "mag:ffe-capacity", min: 0),
            MagAdmittedDscp = List(section, "mag:admitted-dscp").Select(d => ParseInt(section, "mag:admitted-dscp", d, 0, 63)).ToHashSet(),
            Codec = new MobilityHeaderCodecOptions
            {
                FlowHandoverMhType = Byte(section, "mh-type-flow-handover"),
                FlowIPv6AddressOptionType = Byte(section, "option-type-flow-ipv6-address"),
                FlowIPv4AddressOptionType = Byte(section, "option-type-flow-ipv4-address"),
                FlowPortsOptionType = Byte(section, "option-type-flow-ports"),
                FlowQosOptionType = Byte(section, "option-type-flow-qos"),
                AuthenticationSubtype = Byte(section, "authentication-subtype"),
                RejectUnknownOptions = ConfigReader.GetBool(section, "reject-unknown-options"),
            },
            Policy = PolicyProfiles.From(section.GetSection("lma")),
        };
    }

    /// <summary>The node's settings (the system's configuration when none are given), checked against its security associations.</summary>
    internal static PmipSettings For(Actors.ActorSystem system, PmipSettings? settings, MobilitySecurityAssociations associations)
    {
        settings ??= From(system.Configuration);
        return associations.Options == settings.Codec
            ? settings
            : throw new ArgumentException(
                "the security associations sign with other codec options than the node decodes with; give both the same MobilityHeaderCodecOptions",
                nameof(associations));
    }

    /// <summary>A comma-separated value or an indexed array (<c>key:0</c>, <c>key:1</c>).</summary>
    internal static IEnumerable<string> List(IConfigurationSection section, string key)
    {
        var child = section.GetSection(key);
        IEnumerable<string> items = child.Value is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : child.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0);
        return items.Select(i => i.Trim('"', '[', ']', ' ')).Where(i => i.Length > 0).ToArray();
    }

    private static TimeSpan Positive(IConfigurationSection section, string key)
    {
        var value = ConfigReader.GetDuration(section, key);
        return value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} is {value}; it must be longer than zero");
    }

    private static byte Byte(IConfigurationSection section, string key) => (byte)ConfigReader.GetInt(section, key, min: 0, max: 255);

    private static int ParseInt(IConfigurationSection section, string key, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} has \"{text}\"; expected numbers from {min} to {max}");
}
