using System.Net;
using System.Net.Sockets;
using MifActors.Mif.Network.Linux.Internal.Netlink;

namespace MifActors.Mif.Network.Linux.Internal;

/// <summary>
/// Keeps every DNS server a PvD names on the interface of that PvD. DnsClient cannot bind a source address or a
/// device, so each server gets a host route (/128 or /32) through the interface that gave it: via the advertising
/// router (RDNSS), the lease's router (DHCPv4), the interface's default router (DHCPv6, static), or on-link when the
/// server is inside a prefix of the link. With <see cref="LinuxNetworkSettings.DnsGuardRoutes"/> each server also
/// gets an unreachable route of the highest metric, kept until the backend stops: when the kernel drops the host
/// route (the link went down), a query fails instead of leaving through another interface's default route.
/// Link-local servers need neither; their queries carry the interface as scope.
/// <para>
/// A server named on two interfaces at once can be pinned to only one of them: the interface with the lower index
/// keeps it, and queries for the other PvD fail with a sentence saying so (<see cref="Check"/>).
/// </para>
/// </summary>
internal sealed class DnsServerRoutes(RtnetlinkConnection netlink, LinuxNetworkSettings settings, IReadOnlyDictionary<string, StaticInterfaceSettings> statics)
{
    private const uint GuardMetric = uint.MaxValue;
    private readonly object _gate = new();
    private Dictionary<IPAddress, Pin> _desired = new();
    private readonly Dictionary<IPAddress, Pin> _installed = new();
    private readonly Dictionary<IPAddress, string> _failures = new();
    private readonly HashSet<IPAddress> _guarded = [];

    /// <summary>Where one server's queries go: out of an interface, through a gateway or on-link.</summary>
    private sealed record Pin(int InterfaceIndex, string InterfaceName, IPAddress? Gateway, string Source)
    {
        public bool SameRoute(Pin other) => InterfaceIndex == other.InterfaceIndex && Equals(Gateway, other.Gateway);
    }

    /// <summary>
    /// Works out where each server must go from the interfaces as they are now (called under the backend's lock, after
    /// every change); <see cref="ReconcileAsync"/> then makes the routing table agree.
    /// </summary>
    public void Compute(InterfaceTable interfaces)
    {
        var desired = new Dictionary<IPAddress, Pin>();
        var failures = new Dictionary<IPAddress, string>();
        foreach (var entry in interfaces.Reported.Where(e => e.Usable))
        {
            foreach (var (server, gateway, source) in Servers(entry))
            {
                if (server.IsIPv6LinkLocal) continue;
                if (desired.TryGetValue(server, out var taken))
                {
                    if (taken.InterfaceIndex != entry.Link.Index)
                        failures.TryAdd(server, $"DNS server {server} is named on {taken.InterfaceName} ({taken.Source}) and on {entry.Link.Name} ({source}); "
                            + $"a host route can keep its queries on only one interface, and {taken.InterfaceName} has it");
                    continue;
                }

                if (gateway is null && !OnLink(entry, server))
                {
                    failures.TryAdd(server, $"DNS server {server} ({source}) is not on the link of {entry.Link.Name} and no router there is known to reach it");
                    continue;
                }

                desired.Add(server, new Pin(entry.Link.Index, entry.Link.Name, OnLink(entry, server) ? null : gateway, source));
            }
        }

        lock (_gate)
        {
            _desired = desired;
            foreach (var stale in _failures.Keys.Where(server => !failures.ContainsKey(server)).ToArray()) _failures.Remove(stale);
            foreach (var (server, failure) in failures) _failures.TryAdd(server, failure);
        }
    }

    /// <summary>
    /// Null when a query to <paramref name="server"/> for a PvD of <paramref name="interfaceName"/> stays on that
    /// interface; otherwise why it would not, as a sentence.
    /// </summary>
    public string? Check(IPAddress server, string interfaceName)
    {
        lock (_gate)
        {
            if (_installed.TryGetValue(server, out var pin) && pin.InterfaceName == interfaceName) return null;
            if (_failures.TryGetValue(server, out var failure)) return failure;
            return _installed.TryGetValue(server, out pin)
                ? $"DNS server {server} is routed through {pin.InterfaceName}, not {interfaceName}"
                : $"DNS server {server} has no host route through {interfaceName} (yet); the backend adds one for the servers the network names";
        }
    }

    /// <summary>Adds and deletes routes until the kernel has what <see cref="Compute"/> decided. Only the backend's event loop calls it.</summary>
    public async Task ReconcileAsync(Action<string> log, CancellationToken cancellationToken)
    {
        Dictionary<IPAddress, Pin> desired;
        (IPAddress Server, Pin Pin)[] installed;
        lock (_gate)
        {
            desired = _desired;
            installed = _installed.Select(pair => (pair.Key, pair.Value)).ToArray();
        }

        foreach (var (server, pin) in installed)
        {
            if (desired.TryGetValue(server, out var wanted) && wanted.SameRoute(pin)) continue;
            var (errno, refusal) = await Change(add: false, server, pin, cancellationToken).ConfigureAwait(false);
            if (errno is not (0 or Rtnetlink.NoSuchProcess)) log(refusal!);
            lock (_gate) _installed.Remove(server);
        }

        foreach (var (server, pin) in desired)
        {
            lock (_gate)
            {
                if (_installed.TryGetValue(server, out var present) && present.SameRoute(pin)) continue;
            }

            if (settings.DnsGuardRoutes && !_guarded.Contains(server))
            {
                var (guardErrno, guardRefusal) = await netlink.ChangeRouteAsync(true, server, Bits(server), 0, null, settings.DnsRouteProtocol, GuardMetric, unreachable: true, cancellationToken).ConfigureAwait(false);
                if (guardErrno is 0 or Rtnetlink.Exists) _guarded.Add(server);
                else log(guardRefusal!);
            }

            var (errno, refusal) = await Change(add: true, server, pin, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (errno is 0 or Rtnetlink.Exists)
                {
                    _installed[server] = pin;
                    _failures.Remove(server);
                }
                else
                {
                    _failures[server] = $"the host route that keeps DNS server {server} on {pin.InterfaceName} could not be added: {refusal}";
                    log(_failures[server]);
                }
            }
        }
    }

    /// <summary>The kernel removed one of our routes (its interface went down): it is added again when the interface is back.</summary>
    public void Removed(KernelRoute route)
    {
        if (route.Protocol != settings.DnsRouteProtocol || route.Type != Rtnetlink.TypeUnicast) return;
        lock (_gate)
        {
            if (_installed.TryGetValue(route.Destination, out var pin) && pin.InterfaceIndex == route.OutputInterface) _installed.Remove(route.Destination);
        }
    }

    /// <summary>
    /// Deletes routes with our protocol that a process before us left (it was killed before it could remove them).
    /// </summary>
    public async Task RemoveLeftoversAsync(IEnumerable<KernelRoute> routes, Action<string> log, CancellationToken cancellationToken)
    {
        foreach (var route in routes.Where(r => r.Protocol == settings.DnsRouteProtocol && r.Table == Rtnetlink.TableMain).ToArray())
        {
            var (errno, refusal) = await netlink.ChangeRouteAsync(
                false, route.Destination, route.DestinationLength, route.OutputInterface, route.Gateway is { } g ? InterfaceTable.Unscoped(g) : null,
                route.Protocol, route.Priority, route.Type == Rtnetlink.TypeUnreachable, cancellationToken).ConfigureAwait(false);
            if (errno is not (0 or Rtnetlink.NoSuchProcess)) log(refusal!);
        }
    }

    /// <summary>Deletes every route this backend added, guards included, when it stops.</summary>
    public async Task RemoveAllAsync(Action<string> log, CancellationToken cancellationToken)
    {
        (IPAddress Server, Pin Pin)[] installed;
        lock (_gate)
        {
            installed = _installed.Select(pair => (pair.Key, pair.Value)).ToArray();
            _installed.Clear();
            _desired = new();
        }

        foreach (var (server, pin) in installed)
        {
            var (errno, refusal) = await Change(add: false, server, pin, cancellationToken).ConfigureAwait(false);
            if (errno is not (0 or Rtnetlink.NoSuchProcess)) log(refusal!);
        }

        foreach (var server in _guarded)
        {
            var (errno, refusal) = await netlink.ChangeRouteAsync(false, server, Bits(server), 0, null, settings.DnsRouteProtocol, GuardMetric, unreachable: true, cancellationToken).ConfigureAwait(false);
            if (errno is not (0 or Rtnetlink.NoSuchProcess)) log(refusal!);
        }

        _guarded.Clear();
    }

    private Task<(int Errno, string? Refusal)> Change(bool add, IPAddress server, Pin pin, CancellationToken cancellationToken) =>
        netlink.ChangeRouteAsync(add, server, Bits(server), pin.InterfaceIndex, pin.Gateway, settings.DnsRouteProtocol, settings.DnsRouteMetric, unreachable: false, cancellationToken);

    private static byte Bits(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? (byte)32 : (byte)128;

    /// <summary>Every DNS server the interface's configuration names, with the gateway that reaches it and where it came from.</summary>
    private IEnumerable<(IPAddress Server, IPAddress? Gateway, string Source)> Servers(InterfaceTable.Entry entry)
    {
        foreach (var advertisement in entry.Advertisements.Values)
        {
            foreach (var option in advertisement.DnsServers.Where(option => option.Lifetime != TimeSpan.Zero))
            {
                foreach (var server in option.Servers) yield return (server, advertisement.Router, $"RDNSS from {advertisement.Router}");
            }
        }

        if (entry.Dhcpv6 is { } dhcpv6)
        {
            var router = entry.Advertisements.Values.FirstOrDefault(ra => ra.Managed || ra.OtherConfiguration)?.Router ?? DefaultRouter(entry, AddressFamily.InterNetworkV6);
            foreach (var server in dhcpv6.DnsServers) yield return (server, router, "DHCPv6");
        }

        if (entry.Dhcpv4 is { } dhcpv4)
        {
            foreach (var server in dhcpv4.DnsServers) yield return (server, dhcpv4.Router ?? DefaultRouter(entry, AddressFamily.InterNetwork), "DHCPv4 lease");
        }

        if (statics.TryGetValue(entry.Link.Name, out var configured))
        {
            foreach (var server in configured.DnsServers)
                yield return (server, DefaultRouter(entry, server.AddressFamily), $"mifactors.mif.static-interfaces.{entry.Link.Name}");
        }
    }

    private static IPAddress? DefaultRouter(InterfaceTable.Entry entry, AddressFamily family) =>
        entry.Routes.Where(r => r.PrefixLength == 0 && r.Gateway is not null && r.Destination.AddressFamily == family)
            .OrderBy(r => r.Metric).FirstOrDefault()?.Gateway
        ?? (family == AddressFamily.InterNetworkV6
            ? entry.Advertisements.Values.FirstOrDefault(ra => ra.RouterLifetime > TimeSpan.Zero)?.Router
            : null);

    // On the link: inside a prefix an advertisement says is on-link, or inside a route of the interface with no gateway.
    private static bool OnLink(InterfaceTable.Entry entry, IPAddress server) =>
        entry.Advertisements.Values.Any(ra => ra.Prefixes.Any(p => p.OnLink && p.ValidLifetime != TimeSpan.Zero && Contains(p.Prefix, p.Length, server)))
        || entry.Routes.Any(r => r.Gateway is null && r.PrefixLength > 0 && Contains(r.Destination, r.PrefixLength, server));

    private static bool Contains(IPAddress prefix, int length, IPAddress address) =>
        prefix.AddressFamily == address.AddressFamily && new IPNetwork(prefix, length).Contains(address);
}
