using System.Net;
using DnsClient;
using MifActors.Mif.Dns;
using MifActors.Mif.Network.Simulated.Internal;

namespace MifActors.Mif.Network.Simulated;

// DNS servers on simulated networks. A server has a simulated address (the one routers and DHCP hand out); for each
// interface that asks it, the network starts a real responder on a loopback address of its own, which sees the
// queries through that interface's link (its round trip, loss, black hole, state).
public sealed partial class SimulatedNetwork
{
    private readonly Dictionary<IPAddress, (DnsZone? Zone, IPEndPoint? Upstream, string? Via)> _dnsServers = new();
    private readonly Dictionary<(string Interface, IPAddress Server), DnsResponder> _responders = new();
    private uint _nextLoopback;

    /// <summary>
    /// A DNS server at <paramref name="address"/> answering from <paramref name="zone"/>, reachable through every
    /// interface, or only through <paramref name="via"/> (a VPN's server).
    /// </summary>
    public void AddDnsServer(string address, DnsZone zone, string? via = null)
    {
        lock (_gate)
        {
            _dnsServers[IPAddress.Parse(address)] = (zone, null, via);
        }
    }

    /// <summary>
    /// A DNS server at <paramref name="address"/> that is really <paramref name="upstream"/> (a dnsmasq, say): queries go
    /// straight there, so the link's delay and loss do not apply; a link that is down or a black hole at the time the
    /// PvD's resolver is set up gets a server that never answers.
    /// </summary>
    public void AddDnsServer(string address, IPEndPoint upstream, string? via = null)
    {
        lock (_gate)
        {
            _dnsServers[IPAddress.Parse(address)] = (null, upstream, via);
        }
    }

    /// <summary>How many queries the simulated DNS servers have received, answered or not.</summary>
    public int DnsQueriesReceived
    {
        get
        {
            lock (_gate)
            {
                return _responders.Values.Sum(r => r.Received);
            }
        }
    }

    public IDnsQuery CreateDnsQuery(DnsPath path, DnsSettings settings)
    {
        lock (_gate)
        {
            var endpoints = path.Servers.Select(server => Endpoint(path.InterfaceName, server)).ToArray();
            return new LookupClient(settings.ToLookupClientOptions(endpoints));
        }
    }

    /// <summary>Inside the lock: where a query from an interface to a server really goes.</summary>
    private IPEndPoint Endpoint(string interfaceName, IPAddress server)
    {
        var known = _dnsServers.TryGetValue(server, out var entry);
        var reachable = known && (entry.Via is null || entry.Via == interfaceName);
        if (reachable && entry.Upstream is { } upstream
            && _interfaces.TryGetValue(interfaceName, out var i) && i is { Usable: true, Blackholed: false })
        {
            return upstream;
        }
        if (!_responders.TryGetValue((interfaceName, server), out var responder))
        {
            responder = StartResponder(reachable ? entry.Zone : null, interfaceName);
            _responders.Add((interfaceName, server), responder);
        }
        return responder.Endpoint;
    }

    private DnsResponder StartResponder(DnsZone? zone, string interfaceName)
    {
        for (var tries = 0; ; tries++)
        {
            var address = NextLoopback();
            try
            {
                return new DnsResponder(address, _settings.DnsPort, zone, () => PathThrough(interfaceName),
                    (delay, send) => _scheduler.Advanced.ScheduleOnce(delay, send));
            }
            catch (System.Net.Sockets.SocketException e) when (tries < 16)
            {
                _ = e;  // that address and port are taken (another run side by side); take the next address
            }
        }
    }

    private IPAddress NextLoopback()
    {
        var bytes = _settings.LoopbackBase.GetAddressBytes();
        var value = ((uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + _nextLoopback++;
        return new IPAddress(new byte[] { 127, (byte)(value >> 16), (byte)(value >> 8), (byte)value });
    }

    /// <summary>What the link does to a packet through <paramref name="interfaceName"/> right now.</summary>
    private PathDecision PathThrough(string interfaceName)
    {
        lock (_gate)
        {
            if (!_interfaces.TryGetValue(interfaceName, out var i) || !i.Usable || i.Blackholed || Lost(i))
            {
                return PathDecision.Drop;
            }
            return new PathDecision(true, i.RoundTrip);
        }
    }

    private bool Lost(SimulatedInterface i) => i.Loss > 0 && _random.NextDouble() < i.Loss;

    private void DisposeDns()
    {
        foreach (var responder in _responders.Values)
        {
            responder.Dispose();
        }
        _responders.Clear();
    }
}
