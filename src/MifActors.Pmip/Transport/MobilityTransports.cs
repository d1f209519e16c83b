using System.Net;

namespace MifActors.Pmip.Transport;

/// <summary>How Mobility Header messages travel between nodes (<c>mifactors.pmip.transport</c>).</summary>
public enum MobilityTransportKind
{
    /// <summary>UDP on <c>udp-port</c> (RFC 5844 §3 / Wireshark's mip6 port): <see cref="UdpMobilityTransport"/>.</summary>
    Udp,

    /// <summary>IPv6 next header 135 (RFC 6275 §6.1), needs CAP_NET_RAW: <see cref="RawIPv6MobilityTransport"/>.</summary>
    RawIPv6,
}

/// <summary>Opens the transport the configuration names: the choice is HOCON's, never the code's.</summary>
public static class MobilityTransports
{
    /// <summary>A socket of the configured kind, bound to <paramref name="local"/> (on <c>udp-port</c> for UDP).</summary>
    /// <exception cref="RawSocketPermissionException">Raw IPv6 is configured and the process lacks CAP_NET_RAW.</exception>
    public static IMobilityTransport Open(IPAddress local, PmipSettings settings)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Transport switch
        {
            MobilityTransportKind.RawIPv6 => new RawIPv6MobilityTransport(local),
            _ => UdpMobilityTransport.Bind(local, settings),
        };
    }
}
