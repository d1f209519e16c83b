using System.Net;
using MifActors.Mif.Network.Simulated.Internal;

namespace MifActors.Mif.Network.Simulated;

// Routers and DHCP servers on simulated links.
public sealed partial class SimulatedNetwork
{
    /// <summary>
    /// Puts a router on the link: it advertises now (when the link is usable) and then every
    /// <see cref="SimulatedRouter.Interval"/>, and again whenever the link comes up. Autonomous /64 prefixes give
    /// the interface an address (SLAAC) with the prefix's lifetimes, refreshed by each advertisement.
    /// </summary>
    public void AdvertiseRouter(string name, SimulatedRouter router)
    {
        lock (_gate)
        {
            var i = Interface(name);
            if (i.Routers.Remove(router.Router, out var earlier))
            {
                earlier.Repeat.Cancel();
            }
            var interval = router.Interval ?? _settings.RouterAdvertisementInterval;
            var repeat = interval > TimeSpan.Zero ? Every(interval, () => Advertise(i, router)) : Akka.Actor.Cancelable.CreateCanceled();
            i.Routers[router.Router] = (router, repeat);
            Advertise(i, router);
        }
    }

    /// <summary>
    /// The router stops advertising. With <paramref name="goodbye"/> it first sends a last advertisement with every
    /// lifetime zero, so what it configured expires at once; without, it expires when its lifetimes run out.
    /// </summary>
    public void StopRouter(string name, IPAddress router, bool goodbye = false)
    {
        lock (_gate)
        {
            var i = Interface(name);
            if (!i.Routers.Remove(router, out var entry))
            {
                throw new ArgumentException($"there is no router {router} on {name}", nameof(router));
            }
            entry.Repeat.Cancel();
            if (goodbye)
            {
                var r = entry.Router;
                Advertise(i, r with
                {
                    RouterLifetime = TimeSpan.Zero,
                    Prefixes = r.Prefixes.Select(p => p with { ValidLifetime = TimeSpan.Zero, PreferredLifetime = TimeSpan.Zero }).ToArray(),
                    DnsServers = r.DnsServers.Select(d => d with { Lifetime = TimeSpan.Zero }).ToArray(),
                    SearchLists = r.SearchLists.Select(d => d with { Lifetime = TimeSpan.Zero }).ToArray(),
                    Routes = r.Routes.Select(x => x with { Lifetime = TimeSpan.Zero }).ToArray(),
                    Nat64 = r.Nat64 is { } n ? n with { Lifetime = TimeSpan.Zero } : null,
                }, autoconfigure: false);
            }
        }
    }

    public void StopRouter(string name, string router, bool goodbye = false) => StopRouter(name, IPAddress.Parse(router), goodbye);

    /// <summary>One advertisement from <paramref name="router"/>, without putting the router on the link for good.</summary>
    public void SendRouterAdvertisement(string name, SimulatedRouter router)
    {
        lock (_gate)
        {
            Advertise(Interface(name), router);
        }
    }

    /// <summary>Inside the lock: the interface hears an advertisement now.</summary>
    private void Advertise(SimulatedInterface i, SimulatedRouter router, bool autoconfigure = true)
    {
        if (!i.Usable)
        {
            return;
        }
        var ra = new RouterAdvertisement(router.Router, Now, router.RouterLifetime, router.Managed, router.OtherConfiguration, router.Mtu,
            router.Prefixes, router.DnsServers, router.SearchLists, router.Routes, router.ProvisioningDomain, router.Nat64);
        var index = i.Advertisements.FindIndex(a => a.Router.Equals(router.Router));
        if (index >= 0)
        {
            i.Advertisements[index] = ra;
        }
        else
        {
            i.Advertisements.Add(ra);
        }
        if (autoconfigure)
        {
            foreach (var prefix in router.Prefixes.Where(p => p.Autonomous && p.Length == 64 && p.ValidLifetime != TimeSpan.Zero))
            {
                var bytes = prefix.Prefix.GetAddressBytes();
                i.InterfaceIdentifier.CopyTo(bytes, 8);
                SetAddress(i, new IPAddress(bytes), 64, prefix.ValidLifetime, prefix.PreferredLifetime);
            }
        }
        Publish(i);
    }

    // --- DHCP -----------------------------------------------------------------------------------------------------

    /// <summary>
    /// Puts a DHCPv4 server on the link, which leases <paramref name="address"/> for <paramref name="leaseTime"/> now
    /// (when the link is usable) and whenever the link comes up, and renews at half the lease time unless
    /// <paramref name="renew"/> is false (then the lease runs out).
    /// </summary>
    public void LeaseDhcpv4(string name, string address, int prefixLength, TimeSpan leaseTime, string? router = null,
        IEnumerable<string>? dnsServers = null, IEnumerable<string>? searchDomains = null, bool renew = true)
    {
        lock (_gate)
        {
            var i = Interface(name);
            var routerAddress = router is null ? null : IPAddress.Parse(router);
            var server = new Dhcpv4Server(routerAddress ?? IPAddress.Any, IPAddress.Parse(address), prefixLength, leaseTime, routerAddress,
                (dnsServers ?? []).Select(IPAddress.Parse).ToArray(), (searchDomains ?? []).ToArray(), renew);
            i.Dhcpv4Server = server;
            if (i.Usable)
            {
                Lease(i, server);
            }
        }
    }

    /// <summary>The DHCPv4 server stops answering: the current lease runs out.</summary>
    public void StopDhcpv4(string name)
    {
        lock (_gate)
        {
            var i = Interface(name);
            i.Dhcpv4Renewal?.Cancel();
            i.Dhcpv4Server = null;
        }
    }

    /// <summary>Inside the lock: a lease now, its address, its renewal and its end.</summary>
    private void Lease(SimulatedInterface i, Dhcpv4Server server)
    {
        var lease = new Dhcpv4Lease(server.Server, server.Address, server.PrefixLength, Now, server.LeaseTime, server.Router,
            server.DnsServers, server.SearchDomains);
        i.Dhcpv4 = lease;
        SetAddress(i, server.Address, server.PrefixLength, server.LeaseTime, server.LeaseTime);
        i.Dhcpv4Renewal?.Cancel();
        if (server.Renews)
        {
            var renewal = new Akka.Actor.Cancelable(_scheduler);
            i.Dhcpv4Renewal = renewal;
            After(server.LeaseTime / 2, () =>
            {
                if (!renewal.IsCancellationRequested && i.Dhcpv4Server == server && i.Usable)
                {
                    Lease(i, server);
                }
            });
        }
        After(server.LeaseTime, () =>
        {
            if (ReferenceEquals(i.Dhcpv4, lease))
            {
                i.Dhcpv4 = null;
                Publish(i);
            }
        });
        Publish(i);
    }

    /// <summary>What DHCPv6 gives the interface besides addresses; null <paramref name="lifetime"/> is infinite.</summary>
    public void SetDhcpv6(string name, IEnumerable<string> dnsServers, IEnumerable<string>? searchDomains = null, TimeSpan? lifetime = null)
    {
        lock (_gate)
        {
            var i = Interface(name);
            i.Dhcpv6 = new Dhcpv6Information(IPAddress.IPv6Any, Now, lifetime, dnsServers.Select(IPAddress.Parse).ToArray(), (searchDomains ?? []).ToArray());
            Publish(i);
        }
    }
}
