using Akka.Actor;
using MifActors.Mif.Api;
using MifActors.Mif.Dns;
using MifActors.Mif.Dns.Internal;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// One provisioning domain (/user/host/if-&lt;name&gt;/pvd-&lt;id&gt;): its configuration elements and addresses, which
/// it expires on the scheduler as their lifetimes end, the configuration data it answers with, and its resolver. It
/// tells its interface actor what it looks like after every change, and that it has expired when nothing in it is
/// valid any more. A crash of its resolver does not touch it (the resolver is restarted alone).
/// </summary>
internal sealed class PvdActor : ReceiveActor, IWithTimers
{
    private const string ExpiryTimer = "expiry";
    private readonly string _pvdId;
    private PvdFacts? _facts;
    private PvdView? _reported;
    private DnsPath? _dnsPath;
    private IReadOnlyList<string> _searchDomains = [];
    private readonly IActorRef _resolver;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string pvdId, INetworkBackend backend, DnsSettings dns) =>
        Akka.Actor.Props.Create(() => new PvdActor(pvdId, backend, dns));

    public static string ActorName(string pvdId) => "pvd-" + Uri.EscapeDataString(pvdId);

    public static string? PvdIdOf(string actorName) =>
        actorName.StartsWith("pvd-", StringComparison.Ordinal) ? Uri.UnescapeDataString(actorName["pvd-".Length..]) : null;

    public PvdActor(string pvdId, INetworkBackend backend, DnsSettings dns)
    {
        _pvdId = pvdId;
        _resolver = Context.ActorOf(ResolverActor.Props(pvdId, backend, dns), "resolver");

        Receive<PvdFactsChanged>(changed =>
        {
            _facts = changed.Facts;
            Recompute();
        });
        Receive<Expire>(_ => Recompute());
        Receive<QueryConfiguration>(Answer);
        Receive<Resolve>(resolve => _resolver.Forward(resolve));
        Receive<CancelResolve>(cancel => _resolver.Forward(cancel));
        Receive<ResolverStarted>(_ =>
        {
            if (_dnsPath is not null)
            {
                Sender.Tell(new DnsPathChanged(_dnsPath, _searchDomains));
            }
        });
        Receive<InjectFault>(fault => throw new InjectedFaultException(fault.Reason));
    }

    protected override void PreStart() => Context.Parent.Tell(new PvdStarted(_pvdId));

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private void Recompute()
    {
        if (_facts is null)
        {
            return;
        }
        var now = Now;
        var elements = _facts.Elements.Where(e => e.ValidAt(now)).ToArray();
        if (elements.Length == 0)
        {
            Timers.CancelAll();
            Context.Parent.Tell(new PvdExpired(_pvdId));
            return;
        }

        var addresses = _facts.Addresses
            .Where(a => Lifetimes.Valid(a.ValidUntil, now))
            .Select(a => new AddressView(a.Address, a.PrefixLength, a.ValidUntil, a.PreferredUntil, !Lifetimes.Valid(a.PreferredUntil, now)))
            .ToArray();
        var servers = elements.SelectMany(e => e.DnsServers(now)).Distinct().ToArray();
        var searchDomains = elements.SelectMany(e => e.Data(ConfigurationInformation.SearchDomains, now))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        // Wake up at the next instant anything in this PvD changes: an element or option expiring, an address being
        // deprecated or expiring. Set before reporting, so that once the report is seen the timer is there (a test
        // that then moves virtual time finds it).
        var next = _facts.Elements.SelectMany(e => e.Deadlines)
            .Concat(_facts.Addresses.SelectMany(a => new[] { a.ValidUntil, a.PreferredUntil }).OfType<DateTimeOffset>())
            .Where(d => d > now)
            .DefaultIfEmpty(DateTimeOffset.MaxValue)
            .Min();
        if (next == DateTimeOffset.MaxValue)
        {
            Timers.Cancel(ExpiryTimer);
        }
        else
        {
            Timers.StartSingleTimer(ExpiryTimer, Expire.Instance, next - now);
        }

        var view = new PvdView(_pvdId, elements.Select(e => e.Type).Distinct().Order().ToArray(), addresses, searchDomains, servers.Length > 0);
        if (_reported is null || !_reported.SameAnnouncedFace(view))
        {
            _reported = view;
            Context.Parent.Tell(view);
        }

        var path = new DnsPath(_facts.InterfaceName, _pvdId, servers, addresses.Where(a => !a.Deprecated).Select(a => a.Address).ToArray());
        if (_dnsPath is null || !_dnsPath.Servers.SequenceEqual(path.Servers) || !_dnsPath.SourceAddresses.SequenceEqual(path.SourceAddresses)
            || !_searchDomains.SequenceEqual(searchDomains))
        {
            _dnsPath = path;
            _searchDomains = searchDomains;
            _resolver.Tell(new DnsPathChanged(path, searchDomains));
        }

    }

    private void Answer(QueryConfiguration query)
    {
        var request = query.Request;
        var now = Now;
        var values = _facts?.Elements
            .Where(e => e.Type == request.ElementType && e.ValidAt(now))
            .SelectMany(e => e.Data(request.Identifier, now))
            .ToArray() ?? [];
        IFromMifApi answer = values.Length > 0
            ? new ConfigurationData(_pvdId, request.ElementType, request.Identifier, values)
            : new NoConfigurationData(_pvdId, request.ElementType, request.Identifier);
        query.ReplyTo.Tell(new SubscriberReply(answer));
    }

    private sealed class Expire
    {
        public static readonly Expire Instance = new();
    }
}
