using System.Net;
using MifActors.Mif.Network.Linux.Internal.Netlink;

namespace MifActors.Mif.Network.Linux.Internal;

/// <summary>
/// What the backend knows of each interface: the kernel's link, addresses and routes (from rtnetlink), the latest
/// router advertisement of each router and PvD (from the ICMPv6 socket), and DHCP data (from lease files). Not thread
/// safe: the backend holds its lock around every use. Each change says whether it changed anything, so that the
/// backend reports an interface only when its state did change.
/// </summary>
internal sealed class InterfaceTable(LinuxNetworkSettings settings)
{
    // ARPHRD_* of linux/if_arp.h that say what a link is when its name does not.
    private const ushort ArphrdEther = 1;
    private const ushort ArphrdPpp = 512;
    private const ushort ArphrdTunnel6 = 769;
    private const ushort ArphrdRawIp = 519;
    private const ushort ArphrdNone = 0xFFFE;

    private readonly Dictionary<int, Entry> _entries = new();

    /// <summary>The interfaces the backend reports (not loopback, not ignored), by index.</summary>
    public IEnumerable<Entry> Reported => _entries.Values.Where(e => e.Reported).OrderBy(e => e.Link.Index);

    public Entry? Find(int index) => _entries.GetValueOrDefault(index);

    public Entry? Find(string name) => _entries.Values.FirstOrDefault(e => e.Link.Name == name);

    /// <summary>Applies a link from a dump or an event. Returns the entry, and the name it had before a rename.</summary>
    public (Entry Entry, string? PreviousName) ApplyLink(KernelLink link)
    {
        if (!_entries.TryGetValue(link.Index, out var entry))
        {
            entry = new Entry(link, !link.IsLoopback && !Ignored(link.Name), Kind(link), DisplayName(link));
            _entries.Add(link.Index, entry);
            entry.Changed = true;
            return (entry, null);
        }

        var previous = entry.Link;
        entry.Link = link;
        string? previousName = null;
        if (previous.Name != link.Name)
        {
            previousName = previous.Name;
            entry.Reported = !link.IsLoopback && !Ignored(link.Name);
            entry.Kind = Kind(link);
            entry.DisplayName = DisplayName(link);
        }

        if (previous.IsUp != link.IsUp || previous.IsRunning != link.IsRunning || previousName is not null)
        {
            entry.Changed = true;
            // A link that lost its carrier may come back on another network: what its routers said is void.
            if (!link.IsUp || !link.IsRunning) entry.Advertisements.Clear();
        }

        return (entry, previousName);
    }

    public Entry? RemoveLink(int index) => _entries.Remove(index, out var entry) ? entry : null;

    /// <summary>
    /// Applies an address. Tentative ones (duplicate address detection still running, or failed) are left out: no
    /// connection can use them as a source yet. The kernel sends the address again when DAD is over.
    /// </summary>
    public Entry? ApplyAddress(KernelAddress address, bool removed, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(address.InterfaceIndex, out var entry)) return null;
        var key = (Unscoped(address.Address), address.PrefixLength);
        if (removed || address.IsTentative)
        {
            if (entry.Addresses.Remove(key)) entry.Changed = true;
            return entry;
        }

        entry.Addresses[key] = new ObservedAddress(
            Unscoped(address.Address),
            address.PrefixLength,
            now,
            Lifetime(address.ValidLifetime),
            address.IsDeprecated ? TimeSpan.Zero : Lifetime(address.PreferredLifetime));
        entry.Changed = true;
        return entry;
    }

    /// <summary>
    /// Applies a route of the main table (unicast, not cached, not one of our own DNS host routes) to the interface
    /// it leaves through.
    /// </summary>
    public Entry? ApplyRoute(KernelRoute route, bool removed)
    {
        if (route.Table != Rtnetlink.TableMain || route.Type != Rtnetlink.TypeUnicast || route.Protocol == settings.DnsRouteProtocol)
            return null;
        if (!_entries.TryGetValue(route.OutputInterface, out var entry)) return null;
        var observed = new ObservedRoute(route.Destination, route.DestinationLength, route.Gateway is { } gateway ? Unscoped(gateway) : null, (int)Math.Min(route.Priority, int.MaxValue));
        var changed = removed ? entry.Routes.Remove(observed) : entry.Routes.Add(observed);
        if (changed) entry.Changed = true;
        return entry;
    }

    /// <summary>Keeps <paramref name="advertisement"/> as its router's latest for its PvD (RFC 8801 allows one router several PvDs).</summary>
    public Entry? ApplyAdvertisement(int interfaceIndex, RouterAdvertisement advertisement)
    {
        if (!_entries.TryGetValue(interfaceIndex, out var entry) || !entry.Reported) return null;
        entry.Advertisements[(advertisement.Router, advertisement.ProvisioningDomain?.PvdId)] = advertisement;
        entry.Changed = true;
        return entry;
    }

    /// <summary>The DHCP data of an interface, from lease files; true when it changed.</summary>
    public Entry? ApplyLeases(string interfaceName, Dhcpv4Lease? dhcpv4, Dhcpv6Information? dhcpv6)
    {
        var entry = Find(interfaceName);
        if (entry is null || (Equals(entry.Dhcpv4, dhcpv4) && Equals(entry.Dhcpv6, dhcpv6))) return entry;
        entry.Dhcpv4 = dhcpv4;
        entry.Dhcpv6 = dhcpv6;
        entry.Changed = true;
        return entry;
    }

    /// <summary>Forgets every address and route, before a new dump replaces them (after the kernel dropped events).</summary>
    public void ForgetKernelState()
    {
        foreach (var entry in _entries.Values)
        {
            entry.Addresses.Clear();
            entry.Routes.Clear();
            entry.Changed = true;
        }
    }

    // IPAddress.ScopeId throws for IPv4.
    public static IPAddress Unscoped(IPAddress address) =>
        address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.ScopeId == 0
            ? address
            : new IPAddress(address.GetAddressBytes());

    private static TimeSpan? Lifetime(uint seconds) => seconds == Rtnetlink.InfiniteLifetime ? null : TimeSpan.FromSeconds(seconds);

    private bool Ignored(string name) => settings.Interfaces.TryGetValue(name, out var configured) && configured.Ignore;

    private InterfaceKind Kind(KernelLink link)
    {
        if (settings.Interfaces.TryGetValue(link.Name, out var configured) && configured.Kind is { } kind) return kind;
        if (link.IsLoopback) return InterfaceKind.Loopback;
        var name = link.Name;
        if (name.StartsWith("wl", StringComparison.Ordinal)) return InterfaceKind.Wifi;
        if (name.StartsWith("ww", StringComparison.Ordinal) || name.StartsWith("rmnet", StringComparison.Ordinal) || link.LinkType == ArphrdRawIp)
            return InterfaceKind.Cellular;
        if (name.StartsWith("tun", StringComparison.Ordinal) || name.StartsWith("tap", StringComparison.Ordinal)
            || name.StartsWith("wg", StringComparison.Ordinal) || name.StartsWith("ppp", StringComparison.Ordinal)
            || link.LinkType is ArphrdPpp or ArphrdNone or ArphrdTunnel6)
            return InterfaceKind.Tunnel;
        return link.LinkType == ArphrdEther ? InterfaceKind.Ethernet : InterfaceKind.Other;
    }

    private string DisplayName(KernelLink link)
    {
        if (settings.Interfaces.TryGetValue(link.Name, out var configured) && configured.DisplayName is { } display) return display;
        var kind = Kind(link) switch
        {
            InterfaceKind.Wifi => "Wi-Fi",
            InterfaceKind.Cellular => "Cellular",
            InterfaceKind.Tunnel => "Tunnel",
            InterfaceKind.Ethernet => "Ethernet",
            InterfaceKind.Loopback => "Loopback",
            _ => "Network",
        };
        return $"{kind} ({link.Name})";
    }

    /// <summary>One interface.</summary>
    internal sealed class Entry(KernelLink link, bool reported, InterfaceKind kind, string displayName)
    {
        public KernelLink Link { get; set; } = link;

        /// <summary>Not loopback and not ignored: observers hear of it.</summary>
        public bool Reported { get; set; } = reported;

        public InterfaceKind Kind { get; set; } = kind;

        public string DisplayName { get; set; } = displayName;

        /// <summary>Something observers see changed since the backend last reported the interface.</summary>
        public bool Changed { get; set; }

        public Dictionary<(IPAddress Address, byte PrefixLength), ObservedAddress> Addresses { get; } = new();

        public HashSet<ObservedRoute> Routes { get; } = [];

        public Dictionary<(IPAddress Router, string? PvdId), RouterAdvertisement> Advertisements { get; } = new();

        public Dhcpv4Lease? Dhcpv4 { get; set; }

        public Dhcpv6Information? Dhcpv6 { get; set; }

        public bool Usable => Link.IsUp && Link.IsRunning;

        /// <summary>The state observers are told, in a stable order (addresses and routes by value, routers by arrival).</summary>
        public InterfaceState ToState() => new(
            Link.Name,
            DisplayName,
            Kind,
            Link.IsUp,
            Link.IsRunning,
            Addresses.Values.OrderBy(a => a.Address.AddressFamily).ThenBy(a => a.Address.ToString(), StringComparer.Ordinal).ToArray(),
            Advertisements.Values.ToArray(),
            Dhcpv4,
            Dhcpv6,
            Routes.OrderBy(r => r.Destination.AddressFamily).ThenBy(r => r.Destination.ToString(), StringComparer.Ordinal)
                .ThenBy(r => r.PrefixLength).ThenBy(r => r.Metric).ToArray());
    }
}
