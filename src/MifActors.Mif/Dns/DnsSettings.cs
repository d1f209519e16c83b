using System.Net;
using DnsClient;

namespace MifActors.Mif.Dns;

/// <summary>mifactors.mif.dns: how each PvD's resolver asks its servers.</summary>
public sealed record DnsSettings(TimeSpan Timeout, int Retries, bool TcpFallback, int UdpPayloadSize, int MaxCnameHops)
{
    /// <summary>
    /// DnsClient's options for one attempt against <paramref name="servers"/>. DnsClient gets no timeout, no retries
    /// and no cache: the resolver actor times attempts on the actor system's scheduler (virtual in tests) and cancels
    /// them, and a PvD's answers must not be served from anywhere else.
    /// </summary>
    public LookupClientOptions ToLookupClientOptions(IEnumerable<IPEndPoint> servers) =>
        new(servers.Select(endpoint => new NameServer(endpoint)).ToArray())
        {
            AutoResolveNameServers = false,
            UseCache = false,
            Retries = 0,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            UseTcpFallback = TcpFallback,
            ExtendedDnsBufferSize = UdpPayloadSize,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseRandomNameServer = false,
            Recursion = true,
        };
}

/// <summary>One mifactors.mif.dns-selection rule: names under <paramref name="Suffix"/> go to a PvD, by id or by interface.</summary>
public sealed record DnsSelectionRule(string Suffix, string? PvdId, string? InterfaceName);

/// <summary>mifactors.mif.dns-selection: which PvD translates a name when the request names none (RFC 6731).</summary>
public sealed record DnsSelectionSettings(IReadOnlyList<DnsSelectionRule> Rules, bool UseSearchDomains, IReadOnlyList<string> DefaultInterfaces);
