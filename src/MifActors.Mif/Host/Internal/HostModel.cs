using System.Net;
using Akka.Actor;
using MifActors.Mif.Api;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// What the host agent has announced: usable interfaces, their PvDs, each PvD's elements and addresses. Every change
/// comes in as a report and goes out as the announcements that tell a subscriber the difference, in the draft's order:
/// an interface before its PvDs, a PvD before its elements and addresses; when a PvD goes, its elements and addresses
/// first; when an interface goes, its PvDs first. Reporting the same thing twice announces nothing.
/// </summary>
internal sealed class HostModel
{
    private readonly Dictionary<string, string> _interfaces = new();   // name -> display name, usable ones only
    private readonly List<string> _interfaceOrder = [];
    private readonly Dictionary<string, Pvd> _pvds = new();

    internal sealed class Pvd(string interfaceName, PvdView view, IActorRef actor)
    {
        public string InterfaceName { get; } = interfaceName;
        public PvdView View { get; set; } = view;
        public IActorRef Actor { get; set; } = actor;
    }

    public bool HasInterface(string name) => _interfaces.ContainsKey(name);

    public Pvd? FindPvd(string pvdId) => _pvds.GetValueOrDefault(pvdId);

    public IEnumerable<Pvd> Pvds => _interfaceOrder.SelectMany(PvdsOn);

    private IEnumerable<Pvd> PvdsOn(string interfaceName) => _pvds.Values.Where(p => p.InterfaceName == interfaceName);

    // --- snapshots: what a new subscription is told first ---------------------------------------------------------

    public IReadOnlyList<IFromMifApi> InterfaceSnapshot() =>
        _interfaceOrder.Select(name => (IFromMifApi)new InterfaceAnnouncement(name, _interfaces[name])).ToArray();

    public IReadOnlyList<IFromMifApi> PvdSnapshot(string interfaceName) =>
        PvdsOn(interfaceName).Select(p => (IFromMifApi)new ProvisioningDomainAnnouncement(interfaceName, p.View.PvdId)).ToArray();

    public IReadOnlyList<IFromMifApi> ElementSnapshot(string pvdId) =>
        _pvds[pvdId].View.Elements.Select(type => (IFromMifApi)new ConfigurationElementAnnouncement(pvdId, type)).ToArray();

    public IReadOnlyList<IFromMifApi> AddressSnapshot(string pvdId, DateTimeOffset now) =>
        _pvds[pvdId].View.Addresses.Select(a => (IFromMifApi)Announce(pvdId, a, now)).ToArray();

    // --- changes ------------------------------------------------------------------------------------------------------

    public void ApplyInterface(InterfaceReport report, List<IFromMifApi> output)
    {
        var known = _interfaces.TryGetValue(report.InterfaceName, out var displayName);
        if (!report.Usable)
        {
            RemoveInterface(report.InterfaceName, output);
            return;
        }
        if (!known)
        {
            _interfaceOrder.Add(report.InterfaceName);
        }
        if (!known || displayName != report.DisplayName)
        {
            _interfaces[report.InterfaceName] = report.DisplayName;
            output.Add(new InterfaceAnnouncement(report.InterfaceName, report.DisplayName));
        }
    }

    /// <summary>Applies a PvD's new face; false when the PvD's id is already taken by another interface.</summary>
    public bool ApplyPvd(PvdReport report, DateTimeOffset now, List<IFromMifApi> output)
    {
        if (!_interfaces.ContainsKey(report.InterfaceName))
        {
            return true;    // the interface went away while this report was on its way
        }
        var view = report.View;
        if (!_pvds.TryGetValue(view.PvdId, out var pvd))
        {
            _pvds.Add(view.PvdId, new Pvd(report.InterfaceName, view, report.Pvd));
            output.Add(new ProvisioningDomainAnnouncement(report.InterfaceName, view.PvdId));
            output.AddRange(view.Elements.Select(type => new ConfigurationElementAnnouncement(view.PvdId, type)));
            output.AddRange(view.Addresses.Select(a => Announce(view.PvdId, a, now)));
            return true;
        }
        if (pvd.InterfaceName != report.InterfaceName)
        {
            return false;
        }
        pvd.Actor = report.Pvd;
        var before = pvd.View;
        pvd.View = view;

        foreach (var type in before.Elements.Except(view.Elements))
        {
            output.Add(new NoConfigurationElementAnnouncement(view.PvdId, type));
        }
        foreach (var type in view.Elements.Except(before.Elements))
        {
            output.Add(new ConfigurationElementAnnouncement(view.PvdId, type));
        }
        var previous = before.Addresses.ToDictionary(a => a.Address);
        var current = view.Addresses.Select(a => a.Address).ToHashSet();
        foreach (var gone in before.Addresses.Where(a => !current.Contains(a.Address)))
        {
            output.Add(new NoAddressAnnouncement(view.PvdId, gone.Address));
        }
        foreach (var address in view.Addresses)
        {
            if (!previous.TryGetValue(address.Address, out var old) || old.Deprecated != address.Deprecated)
            {
                output.Add(Announce(view.PvdId, address, now));
            }
        }
        return true;
    }

    public void RemovePvd(string interfaceName, string pvdId, List<IFromMifApi> output)
    {
        if (!_pvds.TryGetValue(pvdId, out var pvd) || pvd.InterfaceName != interfaceName)
        {
            return;
        }
        _pvds.Remove(pvdId);
        output.AddRange(pvd.View.Elements.Select(type => new NoConfigurationElementAnnouncement(pvdId, type)));
        output.AddRange(pvd.View.Addresses.Select(a => new NoAddressAnnouncement(pvdId, a.Address)));
        output.Add(new NoProvisioningDomainAnnouncement(interfaceName, pvdId));
    }

    public void RemoveInterface(string interfaceName, List<IFromMifApi> output)
    {
        foreach (var pvd in PvdsOn(interfaceName).ToArray())
        {
            RemovePvd(interfaceName, pvd.View.PvdId, output);
        }
        if (_interfaces.Remove(interfaceName))
        {
            _interfaceOrder.Remove(interfaceName);
            output.Add(new NoInterfaceAnnouncement(interfaceName));
        }
    }

    private static AddressAnnouncement Announce(string pvdId, AddressView address, DateTimeOffset now) =>
        new(address.Address, pvdId, Lifetimes.Remaining(address.ValidUntil, now), Lifetimes.Remaining(address.PreferredUntil, now));

    public IReadOnlyList<IPAddress> AddressesOf(string pvdId, bool preferredOnly) =>
        _pvds[pvdId].View.Addresses.Where(a => !preferredOnly || !a.Deprecated).Select(a => a.Address).ToArray();
}
