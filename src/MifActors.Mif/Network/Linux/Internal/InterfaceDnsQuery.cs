using System.Net;
using DnsClient;

namespace MifActors.Mif.Network.Linux.Internal;

/// <summary>
/// A DnsClient query object for one PvD's servers that asks only when the queries stay on the PvD's interface
/// (<see cref="DnsServerRoutes.Check"/>), and otherwise fails with a <see cref="DnsResponseException"/> saying why, so
/// that no query of the PvD leaves through another interface. In a configured network namespace the queries run with
/// DnsClient's synchronous API on threads inside that namespace, so that every socket DnsClient opens (UDP, and TCP
/// after a truncated answer) is opened there; those calls end by DnsClient's own timeout, set to
/// mifactors.mif.dns.timeout.
/// </summary>
internal sealed class InterfaceDnsQuery(LookupClient inner, Func<string?> check, NetworkNamespaceThreads threads) : IDnsQuery
{
    public IDnsQueryResponse Query(string query, QueryType queryType, QueryClass queryClass = QueryClass.IN) =>
        Sync(q => q.Query(query, queryType, queryClass));

    public IDnsQueryResponse Query(DnsQuestion question) => Sync(q => q.Query(question));

    public IDnsQueryResponse Query(DnsQuestion question, DnsQueryAndServerOptions queryOptions) => Sync(q => q.Query(question, queryOptions));

    public IDnsQueryResponse QueryCache(DnsQuestion question) => inner.QueryCache(question);

    public IDnsQueryResponse QueryCache(string query, QueryType queryType, QueryClass queryClass = QueryClass.IN) =>
        inner.QueryCache(query, queryType, queryClass);

    public Task<IDnsQueryResponse> QueryAsync(string query, QueryType queryType, QueryClass queryClass = QueryClass.IN, CancellationToken cancellationToken = default) =>
        Async(q => q.QueryAsync(query, queryType, queryClass, cancellationToken), q => q.Query(query, queryType, queryClass), cancellationToken);

    public Task<IDnsQueryResponse> QueryAsync(DnsQuestion question, CancellationToken cancellationToken = default) =>
        Async(q => q.QueryAsync(question, cancellationToken), q => q.Query(question), cancellationToken);

    public Task<IDnsQueryResponse> QueryAsync(DnsQuestion question, DnsQueryAndServerOptions queryOptions, CancellationToken cancellationToken = default) =>
        Async(q => q.QueryAsync(question, queryOptions, cancellationToken), q => q.Query(question, queryOptions), cancellationToken);

    public IDnsQueryResponse QueryReverse(IPAddress ipAddress) => Sync(q => q.QueryReverse(ipAddress));

    public IDnsQueryResponse QueryReverse(IPAddress ipAddress, DnsQueryAndServerOptions queryOptions) => Sync(q => q.QueryReverse(ipAddress, queryOptions));

    public Task<IDnsQueryResponse> QueryReverseAsync(IPAddress ipAddress, CancellationToken cancellationToken = default) =>
        Async(q => q.QueryReverseAsync(ipAddress, cancellationToken), q => q.QueryReverse(ipAddress), cancellationToken);

    public Task<IDnsQueryResponse> QueryReverseAsync(IPAddress ipAddress, DnsQueryAndServerOptions queryOptions, CancellationToken cancellationToken = default) =>
        Async(q => q.QueryReverseAsync(ipAddress, queryOptions, cancellationToken), q => q.QueryReverse(ipAddress, queryOptions), cancellationToken);

    // Asking other servers than the PvD's would let the query leave by another path: refused.
    public IDnsQueryResponse QueryServer(IReadOnlyCollection<NameServer> servers, string query, QueryType queryType, QueryClass queryClass = QueryClass.IN) =>
        throw OtherServers();

    public IDnsQueryResponse QueryServer(IReadOnlyCollection<NameServer> servers, DnsQuestion question) => throw OtherServers();

    public IDnsQueryResponse QueryServer(IReadOnlyCollection<NameServer> servers, DnsQuestion question, DnsQueryOptions queryOptions) => throw OtherServers();

    public IDnsQueryResponse QueryServer(IReadOnlyCollection<IPEndPoint> servers, string query, QueryType queryType, QueryClass queryClass = QueryClass.IN) =>
        throw OtherServers();

    public IDnsQueryResponse QueryServer(IReadOnlyCollection<IPAddress> servers, string query, QueryType queryType, QueryClass queryClass = QueryClass.IN) =>
        throw OtherServers();

    public Task<IDnsQueryResponse> QueryServerAsync(IReadOnlyCollection<NameServer> servers, string query, QueryType queryType, QueryClass queryClass = QueryClass.IN, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public Task<IDnsQueryResponse> QueryServerAsync(IReadOnlyCollection<NameServer> servers, DnsQuestion question, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public Task<IDnsQueryResponse> QueryServerAsync(IReadOnlyCollection<NameServer> servers, DnsQuestion question, DnsQueryOptions queryOptions, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public Task<IDnsQueryResponse> QueryServerAsync(IReadOnlyCollection<IPAddress> servers, string query, QueryType queryType, QueryClass queryClass = QueryClass.IN, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public Task<IDnsQueryResponse> QueryServerAsync(IReadOnlyCollection<IPEndPoint> servers, string query, QueryType queryType, QueryClass queryClass = QueryClass.IN, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public IDnsQueryResponse QueryServerReverse(IReadOnlyCollection<IPAddress> servers, IPAddress ipAddress) => throw OtherServers();

    public IDnsQueryResponse QueryServerReverse(IReadOnlyCollection<IPEndPoint> servers, IPAddress ipAddress) => throw OtherServers();

    public IDnsQueryResponse QueryServerReverse(IReadOnlyCollection<NameServer> servers, IPAddress ipAddress) => throw OtherServers();

    public IDnsQueryResponse QueryServerReverse(IReadOnlyCollection<NameServer> servers, IPAddress ipAddress, DnsQueryOptions queryOptions) => throw OtherServers();

    public Task<IDnsQueryResponse> QueryServerReverseAsync(IReadOnlyCollection<IPAddress> servers, IPAddress ipAddress, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public Task<IDnsQueryResponse> QueryServerReverseAsync(IReadOnlyCollection<IPEndPoint> servers, IPAddress ipAddress, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public Task<IDnsQueryResponse> QueryServerReverseAsync(IReadOnlyCollection<NameServer> servers, IPAddress ipAddress, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    public Task<IDnsQueryResponse> QueryServerReverseAsync(IReadOnlyCollection<NameServer> servers, IPAddress ipAddress, DnsQueryOptions queryOptions, CancellationToken cancellationToken = default) =>
        Task.FromException<IDnsQueryResponse>(OtherServers());

    private T Sync<T>(Func<LookupClient, T> query)
    {
        if (check() is { } problem) throw new DnsResponseException(problem);
        return threads.Run(() => query(inner));
    }

    private Task<T> Async<T>(Func<LookupClient, Task<T>> asynchronous, Func<LookupClient, T> synchronous, CancellationToken cancellationToken)
    {
        if (check() is { } problem) return Task.FromException<T>(new DnsResponseException(problem));
        return threads.Elsewhere ? threads.RunAsync(() => synchronous(inner)).WaitAsync(cancellationToken) : asynchronous(inner);
    }

    private static NotSupportedException OtherServers() =>
        new("a PvD's DNS query object asks only the PvD's own servers; QueryServer with other servers is not offered");
}
