using System.Net;
using DnsClient;
using MifActors.Mif.Dns;
using MifActors.Mif.Network.Linux.Internal;

namespace MifActors.Mif.Network.Linux;

// DNS of a PvD. DnsClient cannot bind a source address or a device, so the path's source addresses cannot be used;
// instead every server leaves through the PvD's interface because of where it is: a link-local server carries the
// interface as its scope, and any other server has a host route through the interface (DnsServerRoutes, set up as the
// server is learnt). A query whose server is not kept on the interface fails with a sentence saying why.
public sealed partial class LinuxNetworkBackend
{
    private const int DnsPort = 53;

    public IDnsQuery CreateDnsQuery(DnsPath path, DnsSettings settings)
    {
        int index;
        lock (_gate)
        {
            index = _interfaces.Find(path.InterfaceName)?.Link.Index ?? 0;
        }

        var options = settings.ToLookupClientOptions(path.Servers.Select(server => new IPEndPoint(
            server.IsIPv6LinkLocal ? new IPAddress(server.GetAddressBytes(), index) : server, DnsPort)));
        // Inside another namespace queries run synchronously on its threads (InterfaceDnsQuery); DnsClient's own
        // timeout is what ends one there.
        if (_namespace.Elsewhere) options.Timeout = settings.Timeout;
        var servers = path.Servers.Where(server => !server.IsIPv6LinkLocal).ToArray();
        return new InterfaceDnsQuery(new LookupClient(options), () => Check(path, servers, index), _namespace);
    }

    private string? Check(DnsPath path, IPAddress[] routedServers, int index)
    {
        if (index == 0) return $"interface {path.InterfaceName} of PvD {path.PvdId} is gone";
        foreach (var server in routedServers)
        {
            if (_dnsRoutes.Check(server, path.InterfaceName) is { } problem) return $"PvD {path.PvdId}: {problem}";
        }

        return null;
    }
}
