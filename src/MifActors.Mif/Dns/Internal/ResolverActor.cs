using System.Net;
using Akka.Actor;
using Akka.Event;
using DnsClient;
using DnsClient.Protocol;
using MifActors.Mif.Api;
using MifActors.Mif.Host.Internal;
using MifActors.Mif.Network;

namespace MifActors.Mif.Dns.Internal;

/// <summary>
/// The resolver of one PvD (/user/host/if-&lt;name&gt;/pvd-&lt;id&gt;/resolver): it asks that PvD's DNS servers, and no
/// others, for A and AAAA records with DnsClient, and sends one NameTranslation per address as each answer comes, then
/// NameTranslationComplete or NoNameTranslation. Each attempt is timed on the actor system's scheduler (virtual in
/// tests; mifactors.mif.dns.timeout) and a timed-out attempt goes to the PvD's next server, up to dns.retries times.
/// DnsClient does the rest: the wire format, TCP after a truncated answer. CNAME chains are followed through the
/// answer, asking again for the target when an answer stops at a CNAME.
/// If it crashes it fails the translations it was running (the subscribers may ask again) and restarts with the
/// PvD's current servers; the PvD itself is not affected.
/// </summary>
internal sealed class ResolverActor : ReceiveActor, IWithTimers
{
    private readonly string _pvdId;
    private readonly INetworkBackend _backend;
    private readonly DnsSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IReadOnlyList<IPAddress> _servers = [];
    private IDnsQuery[] _clients = [];
    private readonly Dictionary<(IActorRef ReplyTo, string Id), Translation> _translations = new();
    private readonly Dictionary<long, (Translation Translation, Query Query)> _attempts = new();
    private long _nextAttempt;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string pvdId, INetworkBackend backend, DnsSettings settings) =>
        Akka.Actor.Props.Create(() => new ResolverActor(pvdId, backend, settings));

    public ResolverActor(string pvdId, INetworkBackend backend, DnsSettings settings)
    {
        _pvdId = pvdId;
        _backend = backend;
        _settings = settings;

        Receive<DnsPathChanged>(changed => UsePath(changed.Path));
        Receive<Resolve>(Start);
        Receive<CancelResolve>(cancel =>
        {
            if (_translations.TryGetValue((cancel.ReplyTo, cancel.TranslationId), out var t) && t.Sequence == cancel.Sequence)
            {
                Drop(t);
            }
        });
        Receive<Answered>(answered => Handle(answered.Attempt, answered.Response));
        Receive<Failed>(failed => Handle(failed.Attempt, failed.Exception));
        Receive<AttemptTimedOut>(timedOut => TimedOut(timedOut.Attempt));
        Receive<InjectFault>(fault => throw new InjectedFaultException(fault.Reason));
    }

    protected override void PreStart() => Context.Parent.Tell(new ResolverStarted());

    protected override void PreRestart(Exception reason, object message)
    {
        foreach (var t in _translations.Values.ToArray())
        {
            Finish(t, new NoNameTranslation(t.Request.TranslationId, NameTranslationFailure.ServerFailure,
                $"the resolver of PvD {_pvdId} failed while translating {t.Request.Name} ({reason.Message}); ask again"));
        }
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        foreach (var t in _translations.Values.ToArray())
        {
            Drop(t);
        }
    }

    private void UsePath(DnsPath path)
    {
        if (path.Servers.SequenceEqual(_servers))
        {
            return;
        }
        _servers = path.Servers;
        // One client per server, so that each attempt goes to exactly one server and a retry to the next.
        _clients = path.Servers.Select(server => _backend.CreateDnsQuery(path with { Servers = [server] }, _settings)).ToArray();
    }

    private void Start(Resolve resolve)
    {
        var key = (resolve.ReplyTo, resolve.Request.TranslationId);
        if (_translations.TryGetValue(key, out var earlier))
        {
            Drop(earlier);
        }
        var t = new Translation(resolve);
        if (_clients.Length == 0)
        {
            Reply(t, new NoNameTranslation(t.Request.TranslationId, NameTranslationFailure.NoDnsServers,
                $"PvD {_pvdId} has no DNS servers to translate {t.Request.Name}"));
            return;
        }
        _translations[key] = t;
        var name = t.Request.Name.Trim().TrimEnd('.');
        t.Queries.Add(new Query(QueryType.A, name));
        t.Queries.Add(new Query(QueryType.AAAA, name));
        foreach (var query in t.Queries)
        {
            Attempt(t, query);
        }
    }

    private void Attempt(Translation t, Query query)
    {
        if (_clients.Length == 0)
        {
            query.Outcome = new Outcome(NameTranslationFailure.NoDnsServers, $"PvD {_pvdId} has no DNS servers left");
            Finished(t);
            return;
        }
        var attempt = ++_nextAttempt;
        var client = _clients[query.Attempts % _clients.Length];
        query.Server = _servers[query.Attempts % _servers.Count];
        query.Cancellation = new CancellationTokenSource();
        query.Live = attempt;
        _attempts[attempt] = (t, query);
        // The timer first: once a server has seen the query, a test that advances virtual time finds the timer set.
        Timers.StartSingleTimer(attempt, new AttemptTimedOut(attempt), _settings.Timeout);
        client.QueryAsync(query.Name, query.Type, QueryClass.IN, query.Cancellation.Token)
            .PipeTo(Self, success: response => new Answered(attempt, response), failure: e => new Failed(attempt, e));
    }

    /// <summary>Ends a live attempt: its timer, and (when <paramref name="cancel"/>) DnsClient's query too.</summary>
    private bool Take(long attempt, out Translation t, out Query query, bool cancel = false)
    {
        if (!_attempts.Remove(attempt, out var entry))
        {
            (t, query) = (null!, null!);
            return false;
        }
        (t, query) = entry;
        Timers.Cancel(attempt);
        if (cancel)
        {
            query.Cancellation?.Cancel();
        }
        query.Cancellation?.Dispose();
        query.Cancellation = null;
        query.Live = 0;
        return true;
    }

    private void Handle(long attempt, IDnsQueryResponse response)
    {
        if (!Take(attempt, out var t, out var query))
        {
            return;
        }
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                var (target, hops) = FollowCnames(query.Name, response.Answers);
                var addresses = response.Answers
                    .Where(r => SameName(r.DomainName, target))
                    .Select(r => r switch { ARecord a => a.Address, AaaaRecord aaaa => aaaa.Address, _ => null })
                    .OfType<IPAddress>()
                    .Distinct()
                    .ToArray();
                if (addresses.Length == 0 && hops > 0 && query.Hops + hops <= _settings.MaxCnameHops)
                {
                    // The answer stops at a CNAME: ask for its target (the same server first).
                    query.Name = target;
                    query.Hops += hops;
                    query.Attempts = 0;
                    Attempt(t, query);
                    return;
                }
                foreach (var address in addresses)
                {
                    Reply(t, new NameTranslation(t.Request.TranslationId, address));
                    t.Sent++;
                }
                query.Outcome = addresses.Length > 0
                    ? Outcome.Found
                    : new Outcome(NameTranslationFailure.NameNotFound,
                        query.Hops + hops > _settings.MaxCnameHops
                            ? $"{t.Request.Name} leads through more than {_settings.MaxCnameHops} CNAMEs (mifactors.mif.dns.max-cname-hops)"
                            : $"{t.Request.Name} has no {query.Type} records in PvD {_pvdId}");
                break;
            case DnsHeaderResponseCode.NotExistentDomain:
                query.Outcome = new Outcome(NameTranslationFailure.NameNotFound,
                    $"{query.Name} does not exist in PvD {_pvdId} (NXDOMAIN from {query.Server})", NxDomain: true);
                break;
            default:
                query.Outcome = new Outcome(NameTranslationFailure.ServerFailure,
                    $"{query.Server} answered {response.Header.ResponseCode} for {query.Name} {query.Type} in PvD {_pvdId}");
                break;
        }
        Finished(t);
    }

    private void Handle(long attempt, Exception failure)
    {
        if (!Take(attempt, out var t, out var query))
        {
            return;
        }
        var reason = failure is DnsResponseException dns ? dns.Message : failure.GetBaseException().Message;
        if (++query.Attempts <= _settings.Retries)
        {
            _log.Debug("PvD {0}: {1} {2} failed at {3} ({4}); trying the next server", _pvdId, query.Name, query.Type, query.Server, reason);
            Attempt(t, query);
            return;
        }
        query.Outcome = new Outcome(NameTranslationFailure.ServerFailure,
            $"no usable answer for {query.Name} {query.Type} from PvD {_pvdId}'s servers; last, from {query.Server}: {reason}");
        Finished(t);
    }

    private void TimedOut(long attempt)
    {
        if (!Take(attempt, out var t, out var query, cancel: true))
        {
            return;
        }
        if (++query.Attempts <= _settings.Retries)
        {
            Attempt(t, query);
            return;
        }
        query.Outcome = new Outcome(NameTranslationFailure.TimedOut,
            $"no answer for {query.Name} {query.Type} from PvD {_pvdId}'s servers ({string.Join(", ", _servers)}) " +
            $"in {_settings.Retries + 1} attempts of {_settings.Timeout.TotalMilliseconds} ms (mifactors.mif.dns.timeout, retries)");
        Finished(t);
    }

    private void Finished(Translation t)
    {
        if (t.Queries.Any(q => q.Outcome is null))
        {
            return;
        }
        if (t.Sent > 0)
        {
            Finish(t, new NameTranslationComplete(t.Request.TranslationId));
            return;
        }
        // NXDOMAIN speaks for every type; otherwise a timeout says more than "no such records", and so does a failure.
        var outcomes = t.Queries.Select(q => q.Outcome!).ToArray();
        var worst = outcomes.FirstOrDefault(o => o.NxDomain)
            ?? outcomes.FirstOrDefault(o => o.Failure == NameTranslationFailure.TimedOut)
            ?? outcomes.FirstOrDefault(o => o.Failure == NameTranslationFailure.ServerFailure)
            ?? outcomes[0];
        Finish(t, new NoNameTranslation(t.Request.TranslationId, worst.Failure!.Value, worst.Message));
    }

    private void Finish(Translation t, IFromMifApi last)
    {
        Reply(t, last);
        Drop(t);
    }

    private void Drop(Translation t)
    {
        _translations.Remove((t.Resolve.ReplyTo, t.Request.TranslationId));
        foreach (var query in t.Queries.Where(q => q.Live != 0))
        {
            Take(query.Live, out _, out _, cancel: true);
        }
    }

    private void Reply(Translation t, IFromMifApi message) =>
        t.Resolve.ReplyTo.Tell(new TranslationResult(t.Request.TranslationId, t.Resolve.Sequence, message));

    private (string Target, int Hops) FollowCnames(string name, IReadOnlyList<DnsResourceRecord> answers)
    {
        var hops = 0;
        while (hops <= _settings.MaxCnameHops
               && answers.OfType<CNameRecord>().FirstOrDefault(c => SameName(c.DomainName, name)) is { } cname)
        {
            name = cname.CanonicalName.Value.TrimEnd('.');
            hops++;
        }
        return (name, hops);
    }

    private static bool SameName(DnsString owner, string name) =>
        string.Equals(owner.Value.TrimEnd('.'), name, StringComparison.OrdinalIgnoreCase);

    private sealed class Translation(Resolve resolve)
    {
        public Resolve Resolve { get; } = resolve;
        public TranslateName Request => Resolve.Request;
        public long Sequence => Resolve.Sequence;
        public List<Query> Queries { get; } = [];
        public int Sent { get; set; }
    }

    private sealed class Query(QueryType type, string name)
    {
        public QueryType Type { get; } = type;
        public string Name { get; set; } = name;
        public int Hops { get; set; }
        public int Attempts { get; set; }
        public IPAddress? Server { get; set; }
        public long Live { get; set; }
        public CancellationTokenSource? Cancellation { get; set; }
        public Outcome? Outcome { get; set; }
    }

    private sealed record Outcome(NameTranslationFailure? Failure, string Message, bool NxDomain = false)
    {
        public static readonly Outcome Found = new(null, "");
    }

    private sealed record Answered(long Attempt, IDnsQueryResponse Response);

    private sealed record Failed(long Attempt, Exception Exception);

    private sealed record AttemptTimedOut(long Attempt);
}
