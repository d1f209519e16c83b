using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip;

/// <summary>
/// The settings of the LMA and MAG nodes, read once from <c>mifactors.pmip</c>. Every default lives in
/// <c>hocon/pmip.conf</c> (<see cref="PmipConfig.Default"/>), and none is repeated here.
/// </summary>
public sealed record PmipSettings
{
    /// <summary>How Mobility Header messages travel: UDP or raw IPv6 (<c>transport</c>).</summary>
    public MobilityTransportKind Transport { get; init; }

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

    /// <summary>Events after which an MN actor saves a snapshot of its state (<c>persistence.snapshot-after-events</c>).</summary>
    public int SnapshotAfterEvents { get; init; }

    /// <summary>The journal plugin the MN actors write to (<c>persistence.journal-plugin</c>).</summary>
    public string JournalPlugin { get; init; } = "";

    /// <summary>The snapshot store plugin the MN actors save snapshots in (<c>persistence.snapshot-plugin</c>).</summary>
    public string SnapshotPlugin { get; init; } = "";

    /// <summary>The read journal a restarted node lists its MNs' persistence ids with (<c>persistence.query-plugin</c>).</summary>
    public string QueryPlugin { get; init; } = "";

    /// <summary>How long after an MN actor stopped (a failed write or recovery) its node starts it again (<c>persistence.restart-delay</c>).</summary>
    public TimeSpan RestartDelay { get; init; }

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

    /// <summary>Reads <c>mifactors.pmip</c> from <paramref name="config"/> (which should fall back to <see cref="PmipConfig.Default"/>).</summary>
    /// <exception cref="InvalidOperationException">A key is missing or malformed; the message names it and what it holds.</exception>
    public static PmipSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var pmip = new ConfigReader(config, "mifactors.pmip");
        var transport = pmip.GetString("transport");
        return new PmipSettings
        {
            Transport = transport switch
            {
                "udp" => MobilityTransportKind.Udp,
                "raw-ipv6" => MobilityTransportKind.RawIPv6,
                _ => throw pmip.Error("transport", "expected udp or raw-ipv6", transport),
            },
            UdpPort = pmip.GetInt("udp-port", min: 0, max: 65535, what: "expected a port number (0-65535; 0 picks a free one)"),
            UdpReceiveBuffer = pmip.GetInt("udp-receive-buffer", min: 1),
            BindingLifetime = pmip.GetDuration("binding-lifetime", positive: true),
            BindingRefreshBefore = pmip.GetDuration("binding-refresh-before"),
            PbuInitialRetransmit = pmip.GetDuration("pbu-initial-retransmit", positive: true),
            PbuMaxTries = pmip.GetInt("pbu-max-tries", min: 1),
            FhrqInitialRetransmit = pmip.GetDuration("fhrq-initial-retransmit", positive: true),
            FhrqMaxTries = pmip.GetInt("fhrq-max-tries", min: 1),
            FlowLifetime = pmip.GetDuration("flow-lifetime", positive: true),
            FfeRenewBefore = pmip.GetDuration("ffe-renew-before"),
            HeartbeatInterval = pmip.GetDuration("heartbeat-interval", positive: true),
            HeartbeatMissedLimit = pmip.GetInt("heartbeat-missed-limit", min: 1),
            ReplayWindow = pmip.GetDuration("replay-window", positive: true),
            SnapshotAfterEvents = pmip.GetInt("persistence.snapshot-after-events", min: 1),
            JournalPlugin = pmip.GetString("persistence.journal-plugin"),
            SnapshotPlugin = pmip.GetString("persistence.snapshot-plugin"),
            QueryPlugin = pmip.GetString("persistence.query-plugin"),
            RestartDelay = pmip.GetDuration("persistence.restart-delay", positive: true),
            MagFfeCapacity = pmip.GetInt("mag.ffe-capacity", min: 0),
            MagAdmittedDscp = pmip.GetList("mag.admitted-dscp")
                .Select(d => int.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out var dscp) && dscp is >= 0 and <= 63
                    ? dscp
                    : throw pmip.Error("mag.admitted-dscp", "expected DSCPs from 0 to 63", d))
                .ToHashSet(),
            Codec = new MobilityHeaderCodecOptions
            {
                FlowHandoverMhType = Byte(pmip, "mh-type-flow-handover"),
                FlowIPv6AddressOptionType = Byte(pmip, "option-type-flow-ipv6-address"),
                FlowIPv4AddressOptionType = Byte(pmip, "option-type-flow-ipv4-address"),
                FlowPortsOptionType = Byte(pmip, "option-type-flow-ports"),
                FlowQosOptionType = Byte(pmip, "option-type-flow-qos"),
                AuthenticationSubtype = Byte(pmip, "authentication-subtype"),
                RejectUnknownOptions = pmip.GetBool("reject-unknown-options"),
            },
            Policy = PolicyProfiles.From(pmip.Section("lma")),
        };
    }

    /// <summary>The system's settings: <c>mifactors.pmip</c> of its configuration over <see cref="PmipConfig.Default"/>.</summary>
    public static PmipSettings Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        PmipConfig.Inject(system);
        return From(system.Settings.Config);
    }

    /// <summary>The node's settings (the system's when none are given), checked against its security associations.</summary>
    internal static PmipSettings For(ActorSystem system, PmipSettings? settings, MobilitySecurityAssociations associations)
    {
        PmipConfig.Inject(system);
        settings ??= From(system.Settings.Config);
        return associations.Options == settings.Codec
            ? settings
            : throw new ArgumentException(
                "the security associations sign with other codec options than the node decodes with; give both the same MobilityHeaderCodecOptions",
                nameof(associations));
    }

    private static byte Byte(ConfigReader pmip, string key) => (byte)pmip.GetInt(key, min: 0, max: 255);
}
