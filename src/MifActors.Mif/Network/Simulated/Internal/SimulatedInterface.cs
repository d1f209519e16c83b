using System.Net;
using Akka.Actor;

namespace MifActors.Mif.Network.Simulated.Internal;

/// <summary>One simulated interface, its link's conditions and what is configured on it. Guarded by the network's lock.</summary>
internal sealed class SimulatedInterface(string name, string displayName, InterfaceKind kind, bool up, bool dormant)
{
    public string Name { get; } = name;
    public string DisplayName { get; } = displayName;
    public InterfaceKind Kind { get; } = kind;
    public bool Up { get; set; } = up;
    public bool Running { get; set; } = true;
    public bool Dormant { get; set; } = dormant;
    public bool Usable => Up && Running;

    public TimeSpan RoundTrip { get; set; }
    public double Loss { get; set; }
    public bool Blackholed { get; set; }
    public SimulatedServer? CaptivePortal { get; set; }

    public List<ObservedAddress> Addresses { get; } = [];
    public List<RouterAdvertisement> Advertisements { get; } = [];
    public Dictionary<IPAddress, (SimulatedRouter Router, ICancelable Repeat)> Routers { get; } = new();
    public Dhcpv4Lease? Dhcpv4 { get; set; }
    public Dhcpv4Server? Dhcpv4Server { get; set; }
    public ICancelable? Dhcpv4Renewal { get; set; }
    public Dhcpv6Information? Dhcpv6 { get; set; }
    public List<ObservedRoute> Routes { get; } = [];
    public List<LiveConnection> Connections { get; } = [];

    /// <summary>The interface identifier SLAAC appends to a /64: derived from the name, so it is the same every run.</summary>
    public byte[] InterfaceIdentifier { get; } = Identifier(name);

    public InterfaceState ToState() => new(
        Name, DisplayName, Kind, Up, Running,
        Addresses.ToArray(), Advertisements.ToArray(), Dhcpv4, Dhcpv6, Routes.ToArray());

    public bool HasAddress(IPAddress address, DateTimeOffset now) =>
        Addresses.Any(a => a.Address.Equals(address) && (a.ValidUntil is null || a.ValidUntil > now));

    private static byte[] Identifier(string name)
    {
        // FNV-1a over the name; the universal/local bit cleared as for a random identifier (RFC 7136).
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        var bytes = BitConverter.GetBytes(hash);
        bytes[0] &= 0xFD;
        return bytes;
    }
}

/// <summary>The DHCPv4 server on a simulated link: what it leases, and whether it still answers renewals.</summary>
internal sealed record Dhcpv4Server(
    IPAddress Server, IPAddress Address, int PrefixLength, TimeSpan LeaseTime, IPAddress? Router,
    IReadOnlyList<IPAddress> DnsServers, IReadOnlyList<string> SearchDomains, bool Renews);

/// <summary>An established simulated connection: the loopback listener's side can be reset when the interface goes.</summary>
internal sealed record LiveConnection(ServerListener Listener, int ClientPort);
