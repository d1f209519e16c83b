using System.Net;
using System.Net.Sockets;
using MifActors.Mif.Network.Simulated.Internal;

namespace MifActors.Mif.Network.Simulated;

/// <summary>
/// What a simulated DNS server answers: addresses and CNAMEs per name, names that fail, and optionally one address
/// for every name (a captive portal's interception). Names it does not know are NXDOMAIN. Thread-safe; changes apply
/// to the next query.
/// </summary>
public sealed class DnsZone
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<IPAddress>> _addresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _cnames = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);
    private IPAddress[]? _interceptAll;

    /// <summary>The TTL of every answer.</summary>
    public uint Ttl { get; set; } = 60;

    /// <summary>Adds A and AAAA records for <paramref name="name"/>.</summary>
    public DnsZone Add(string name, params IPAddress[] addresses)
    {
        lock (_gate)
        {
            if (!_addresses.TryGetValue(Normalize(name), out var list))
            {
                _addresses[Normalize(name)] = list = [];
            }
            list.AddRange(addresses);
        }
        return this;
    }

    /// <summary>Adds A and AAAA records, each given as text.</summary>
    public DnsZone Add(string name, params string[] addresses) => Add(name, addresses.Select(IPAddress.Parse).ToArray());

    /// <summary>Makes <paramref name="name"/> a CNAME for <paramref name="target"/>.</summary>
    public DnsZone AddCname(string name, string target)
    {
        lock (_gate)
        {
            _cnames[Normalize(name)] = Normalize(target);
        }
        return this;
    }

    /// <summary>Removes every record of <paramref name="name"/>.</summary>
    public DnsZone Remove(string name)
    {
        lock (_gate)
        {
            _addresses.Remove(Normalize(name));
            _cnames.Remove(Normalize(name));
        }
        return this;
    }

    /// <summary>Queries for <paramref name="name"/> are answered with SERVFAIL.</summary>
    public DnsZone Fail(string name)
    {
        lock (_gate)
        {
            _failing.Add(Normalize(name));
        }
        return this;
    }

    /// <summary>
    /// Every name is answered with these addresses (of the asked family), as a captive portal's DNS does until the
    /// user logs in; null stops intercepting.
    /// </summary>
    public DnsZone InterceptAll(params IPAddress[]? addresses)
    {
        lock (_gate)
        {
            _interceptAll = addresses is { Length: > 0 } ? addresses : null;
        }
        return this;
    }

    internal (int Rcode, IReadOnlyList<DnsAnswer> Answers) Answer(string name, ushort type)
    {
        const int NoError = 0, ServFail = 2, NxDomain = 3;
        var family = type switch
        {
            DnsWire.TypeA => AddressFamily.InterNetwork,
            DnsWire.TypeAaaa => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        lock (_gate)
        {
            var owner = Normalize(name);
            if (_failing.Contains(owner))
            {
                return (ServFail, []);
            }
            if (_interceptAll is { } intercepted)
            {
                return (NoError, intercepted.Where(a => a.AddressFamily == family).Select(a => new DnsAnswer(owner, type, Ttl, a, null)).ToArray());
            }
            var answers = new List<DnsAnswer>();
            for (var hops = 0; hops < 16 && _cnames.TryGetValue(owner, out var target); hops++)
            {
                answers.Add(new DnsAnswer(owner, DnsWire.TypeCname, Ttl, null, target));
                owner = target;
            }
            if (_addresses.TryGetValue(owner, out var addresses))
            {
                answers.AddRange(addresses.Where(a => a.AddressFamily == family).Select(a => new DnsAnswer(owner, type, Ttl, a, null)));
            }
            else if (answers.Count == 0)
            {
                return (NxDomain, []);
            }
            return (NoError, answers);
        }
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.');
}
