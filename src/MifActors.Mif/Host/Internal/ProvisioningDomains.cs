using System.Net;
using System.Net.Sockets;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// How the facts on one interface form provisioning domains (docs/mif-api.md, "PvD identity"):
/// <list type="bullet">
/// <item>router advertisements with an RFC 8801 PvD ID form the PvD of that id; those without form an implicit PvD
/// per router, <c>&lt;interface&gt;/&lt;router&gt;</c>;</item>
/// <item>DHCPv6 information joins the PvD of the first router asking for it (M or O flag), otherwise
/// <c>&lt;interface&gt;/dhcpv6</c>;</item>
/// <item>a DHCPv4 lease forms <c>&lt;interface&gt;/dhcpv4</c>;</item>
/// <item>static configuration, and addresses nothing else accounts for, form <c>&lt;interface&gt;/static</c> (or the
/// pvd-id the static configuration names);</item>
/// <item>an IPv6 address belongs to every PvD with a prefix that contains it; an IPv4 address to the lease that gave
/// it.</item>
/// </list>
/// Facts whose lifetime is over at <c>now</c> are left out, and an interface that is not usable has no PvDs.
/// </summary>
internal static class ProvisioningDomains
{
    public static string Implicit(string interfaceName, string source) => $"{interfaceName}/{source}";

    public static IReadOnlyList<PvdFacts> Map(InterfaceState state, StaticInterfaceSettings? staticSettings, DateTimeOffset now)
    {
        if (!state.Usable)
        {
            return [];
        }

        // Insertion order is announcement order: routers, DHCPv6, DHCPv4, static.
        var pvds = new Dictionary<string, (List<ElementFacts> Elements, List<ObservedAddress> Addresses)>();
        var order = new List<string>();
        (List<ElementFacts> Elements, List<ObservedAddress> Addresses) Pvd(string id)
        {
            if (!pvds.TryGetValue(id, out var pvd))
            {
                pvd = ([], []);
                pvds.Add(id, pvd);
                order.Add(id);
            }
            return pvd;
        }

        var advertisements = state.RouterAdvertisements.Where(ra => Lifetimes.Valid(RaElementFacts.ValidUntilOf(ra), now)).ToArray();
        var raPvds = advertisements
            .GroupBy(ra => ra.ProvisioningDomain?.PvdId ?? Implicit(state.Name, ra.Router.ToString()))
            .Select(group => (Id: group.Key, Element: new RaElementFacts(group.ToArray())))
            .ToArray();
        foreach (var (id, element) in raPvds)
        {
            Pvd(id).Elements.Add(element);
        }

        if (state.Dhcpv6 is { } dhcpv6 && Lifetimes.Valid(dhcpv6.ValidUntil, now))
        {
            var asking = raPvds.FirstOrDefault(p => p.Element.Advertisements.Any(ra => ra.Managed || ra.OtherConfiguration));
            Pvd(asking.Id ?? Implicit(state.Name, "dhcpv6")).Elements.Add(new Dhcpv6ElementFacts(dhcpv6));
        }

        var dhcpv4 = state.Dhcpv4 is { } lease && lease.ValidUntil > now ? lease : null;
        if (dhcpv4 is not null)
        {
            Pvd(Implicit(state.Name, "dhcpv4")).Elements.Add(new Dhcpv4ElementFacts(dhcpv4));
        }

        var staticId = staticSettings?.PvdId ?? Implicit(state.Name, "static");
        var unaccounted = new List<ObservedAddress>();
        foreach (var address in state.Addresses)
        {
            if (Prefixes.Scoped(address.Address) || !Lifetimes.Valid(address.ValidUntil, now))
            {
                continue;
            }
            var owners = Owners(address.Address, raPvds, dhcpv4, state.Name).ToArray();
            if (owners.Length == 0)
            {
                unaccounted.Add(address);
            }
            foreach (var owner in owners)
            {
                Pvd(owner).Addresses.Add(address);
            }
        }

        if (staticSettings is not null || unaccounted.Count > 0)
        {
            var pvd = Pvd(staticId);
            pvd.Elements.Add(new StaticElementFacts(staticSettings, unaccounted));
            pvd.Addresses.AddRange(unaccounted);
        }

        return order.Select(id => new PvdFacts(state.Name, id, pvds[id].Elements, pvds[id].Addresses)).ToArray();
    }

    private static IEnumerable<string> Owners(
        IPAddress address, (string Id, RaElementFacts Element)[] raPvds, Dhcpv4Lease? dhcpv4, string interfaceName)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (dhcpv4 is not null && dhcpv4.Address.Equals(address))
            {
                yield return Implicit(interfaceName, "dhcpv4");
            }
            yield break;
        }
        foreach (var (id, element) in raPvds)
        {
            if (element.Advertisements.Any(ra => ra.Prefixes.Any(p => Prefixes.Contains(p.Prefix, p.Length, address))))
            {
                yield return id;
            }
        }
    }
}
