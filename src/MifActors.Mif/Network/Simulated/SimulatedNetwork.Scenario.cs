using System.Net;
using MifActors.Mif.Network.Simulated.Internal;

namespace MifActors.Mif.Network.Simulated;

// The scenario API: interfaces, their links and addresses. Each call changes the network at once (at the scheduler's
// current time) and tells the observers before it returns.
public sealed partial class SimulatedNetwork
{
    /// <summary>
    /// Adds an interface, up and with carrier unless <paramref name="up"/> is false. A <paramref name="dormant"/>
    /// interface is down until an application asks for connectivity (WantsToConnect).
    /// </summary>
    public void AddInterface(string name, InterfaceKind kind = InterfaceKind.Ethernet, string? displayName = null, bool up = true, bool dormant = false)
    {
        lock (_gate)
        {
            if (_interfaces.ContainsKey(name))
            {
                throw new ArgumentException($"the simulated network already has an interface {name}", nameof(name));
            }
            var i = new SimulatedInterface(name, displayName ?? DefaultDisplayName(name, kind), kind, up && !dormant, dormant);
            _interfaces.Add(name, i);
            _order.Add(name);
            Publish(i);
        }
    }

    private static string DefaultDisplayName(string name, InterfaceKind kind) => kind switch
    {
        InterfaceKind.Wifi => $"Wi-Fi ({name})",
        InterfaceKind.Cellular => $"Cellular ({name})",
        InterfaceKind.Tunnel => $"VPN ({name})",
        InterfaceKind.Ethernet => $"Ethernet ({name})",
        _ => name,
    };

    /// <summary>Removes an interface (unplugged, a tunnel deleted): its connections are reset.</summary>
    public void RemoveInterface(string name)
    {
        lock (_gate)
        {
            var i = Interface(name);
            LinkWentDown(i);
            foreach (var (router, repeat) in i.Routers.Values)
            {
                repeat.Cancel();
            }
            _interfaces.Remove(name);
            _order.Remove(name);
            PublishAll(new InterfaceRemoved(name));
        }
    }

    /// <summary>Takes an interface administratively down: what the network configured on it goes, its connections are reset.</summary>
    public void TakeDown(string name)
    {
        lock (_gate)
        {
            var i = Interface(name);
            if (!i.Up)
            {
                return;
            }
            i.Up = false;
            i.Dormant = false;
            LinkWentDown(i);
            Publish(i);
        }
    }

    /// <summary>Brings an interface up: its routers answer at once (as to a router solicitation), its DHCP server leases again.</summary>
    public void BringUp(string name)
    {
        lock (_gate)
        {
            var i = Interface(name);
            if (i.Up)
            {
                return;
            }
            i.Up = true;
            LinkCameUp(i);
        }
    }

    /// <summary>Loses or regains the carrier (out of Wi-Fi range and back): as TakeDown and BringUp, with the interface still up.</summary>
    public void SetCarrier(string name, bool running)
    {
        lock (_gate)
        {
            var i = Interface(name);
            if (i.Running == running)
            {
                return;
            }
            i.Running = running;
            if (running)
            {
                LinkCameUp(i);
            }
            else
            {
                LinkWentDown(i);
                Publish(i);
            }
        }
    }

    /// <summary>The system intends to take the interface down (draft section 3.2.7.26.4); nothing changes yet.</summary>
    public void AnnounceGoingAway(string name)
    {
        lock (_gate)
        {
            Interface(name);
            PublishAll(new InterfaceIntentObserved(name, InterfaceIntent.GoingAway));
        }
    }

    /// <summary>The system intends to take the interface up (draft section 3.2.7.26.5); nothing changes yet.</summary>
    public void AnnounceGoingUp(string name)
    {
        lock (_gate)
        {
            Interface(name);
            PublishAll(new InterfaceIntentObserved(name, InterfaceIntent.GoingUp));
        }
    }

    // --- link conditions ------------------------------------------------------------------------------------------

    /// <summary>The round-trip time through the interface: a connect takes one, a DNS answer takes one.</summary>
    public void SetDelay(string name, TimeSpan roundTrip)
    {
        lock (_gate)
        {
            Interface(name).RoundTrip = roundTrip;
        }
    }

    /// <summary>
    /// The share of packets the link drops (0 to 1): a lost SYN is sent again after 1 s, 2 s, ... (RFC 6298), a lost
    /// DNS query is simply lost. Which packets are lost follows mifactors.mif.simulated.loss-seed.
    /// </summary>
    public void SetLoss(string name, double loss)
    {
        if (loss is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "expected a share of packets from 0 to 1");
        }
        lock (_gate)
        {
            Interface(name).Loss = loss;
        }
    }

    /// <summary>
    /// Makes the link a black hole (or not): the interface stays up and configured, but nothing sent through it is
    /// answered, as with a Wi-Fi whose uplink is broken.
    /// </summary>
    public void Blackhole(string name, bool blackholed = true)
    {
        lock (_gate)
        {
            Interface(name).Blackholed = blackholed;
        }
    }

    /// <summary>
    /// Puts a captive portal on the link (null removes it): every connection through the interface reaches
    /// <paramref name="portal"/>, whatever its destination. Pair it with a DNS zone that intercepts every name.
    /// </summary>
    public void CaptivePortal(string name, SimulatedServer? portal)
    {
        lock (_gate)
        {
            Interface(name).CaptivePortal = portal;
        }
    }

    // --- addresses ------------------------------------------------------------------------------------------------

    /// <summary>Adds (or refreshes) an address; null lifetimes are infinite. It goes away when its valid lifetime ends.</summary>
    public void AddAddress(string name, IPAddress address, int prefixLength, TimeSpan? validLifetime = null, TimeSpan? preferredLifetime = null)
    {
        lock (_gate)
        {
            var i = Interface(name);
            SetAddress(i, address, prefixLength, validLifetime, preferredLifetime ?? validLifetime);
            Publish(i);
        }
    }

    /// <summary>Adds (or refreshes) an address given as text.</summary>
    public void AddAddress(string name, string address, int prefixLength, TimeSpan? validLifetime = null, TimeSpan? preferredLifetime = null) =>
        AddAddress(name, IPAddress.Parse(address), prefixLength, validLifetime, preferredLifetime);

    public void RemoveAddress(string name, IPAddress address)
    {
        lock (_gate)
        {
            var i = Interface(name);
            if (i.Addresses.RemoveAll(a => a.Address.Equals(address)) > 0)
            {
                Publish(i);
            }
        }
    }

    public void RemoveAddress(string name, string address) => RemoveAddress(name, IPAddress.Parse(address));

    /// <summary>Sets an address inside the lock, and removes it when its valid lifetime ends, as the kernel does.</summary>
    private void SetAddress(SimulatedInterface i, IPAddress address, int prefixLength, TimeSpan? valid, TimeSpan? preferred)
    {
        var observed = new ObservedAddress(address, prefixLength, Now, valid, preferred);
        var index = i.Addresses.FindIndex(a => a.Address.Equals(address));
        if (index >= 0)
        {
            i.Addresses[index] = observed;
        }
        else
        {
            i.Addresses.Add(observed);
        }
        if (valid is { } lifetime)
        {
            After(lifetime, () =>
            {
                if (i.Addresses.Remove(observed))
                {
                    Publish(i);
                }
            });
        }
    }

    /// <summary>Inside the lock: what a link going down takes with it.</summary>
    private void LinkWentDown(SimulatedInterface i)
    {
        i.Advertisements.Clear();
        i.Addresses.RemoveAll(a => a.ValidLifetime is not null);
        i.Dhcpv4 = null;
        i.Dhcpv4Renewal?.Cancel();
        i.Dhcpv6 = null;
        foreach (var connection in i.Connections)
        {
            connection.Listener.Reset(connection.ClientPort);
        }
        i.Connections.Clear();
    }

    /// <summary>Inside the lock: a link that comes up is told about again, then configured by its routers and DHCP server.</summary>
    private void LinkCameUp(SimulatedInterface i)
    {
        Publish(i);
        if (!i.Usable)
        {
            return;
        }
        foreach (var (router, _) in i.Routers.Values.ToArray())
        {
            Advertise(i, router);
        }
        if (i.Dhcpv4Server is { } server)
        {
            Lease(i, server);
        }
    }
}
