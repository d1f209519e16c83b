using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Dns;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// One interface (/user/host/if-&lt;name&gt;): its link state and the PvD actors for what is configured on it. It
/// turns each observation of the interface into PvDs (<see cref="ProvisioningDomains.Map"/>), creates, updates and
/// stops its PvD actors, and passes their reports to the host agent, so that the host agent sees one ordered stream
/// of PvD changes per interface. (The host agent announces the interface itself from the observations, before it
/// passes them on, so interfaces are announced in the order the backend saw them.)
/// When it crashes it keeps its PvD actors (and their resolvers), reads the interface again from the backend and
/// reconciles; the host agent announces only what differs from what it announced before.
/// </summary>
internal sealed class InterfaceActor : ReceiveActor
{
    private readonly string _name;
    private readonly INetworkBackend _backend;
    private readonly StaticInterfaceSettings? _static;
    private readonly DnsSettings _dns;
    private readonly Dictionary<string, IActorRef> _pvds = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private InterfaceState? _state;
    private readonly HashSet<string> _stopping = [];
    private bool _failOnNextObservation;

    public static Props Props(string name, INetworkBackend backend, StaticInterfaceSettings? staticSettings, DnsSettings dns) =>
        Akka.Actor.Props.Create(() => new InterfaceActor(name, backend, staticSettings, dns));

    public static string ActorName(string interfaceName) => "if-" + Uri.EscapeDataString(interfaceName);

    public InterfaceActor(string name, INetworkBackend backend, StaticInterfaceSettings? staticSettings, DnsSettings dns)
    {
        _name = name;
        _backend = backend;
        _static = staticSettings;
        _dns = dns;

        Receive<InterfaceState>(Observe);
        Receive<ReadAgain>(read =>
        {
            if (read.State is not null)
            {
                Observe(read.State);
            }
            else if (read.Failure is not null)
            {
                _log.Warning("Interface {0}: reading it again from the backend after a restart failed: {1}", _name, read.Failure.Message);
            }
        });
        Receive<PvdView>(view =>
        {
            if (IsCurrent(view.PvdId))
            {
                Context.Parent.Tell(new PvdReport(_name, view, Sender));
            }
        });
        Receive<PvdExpired>(expired =>
        {
            if (IsCurrent(expired.PvdId) && _state is not null)
            {
                Reconcile(_state);
            }
        });
        Receive<PvdStarted>(started =>
        {
            if (IsCurrent(started.PvdId) && _state is not null)
            {
                var facts = ProvisioningDomains.Map(_state, _static, Now).FirstOrDefault(f => f.PvdId == started.PvdId);
                if (facts is not null)
                {
                    Sender.Tell(new PvdFactsChanged(facts));
                }
            }
        });
        Receive<Terminated>(terminated =>
        {
            if (PvdActor.PvdIdOf(terminated.ActorRef.Path.Name) is { } pvdId && _stopping.Remove(pvdId) && _state is not null)
            {
                Reconcile(_state);
            }
        });
        Receive<InjectFault>(fault =>
        {
            if (fault.OnNextObservation)
            {
                _failOnNextObservation = true;
                return;
            }
            throw new InjectedFaultException(fault.Reason);
        });
    }

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private bool IsCurrent(string pvdId) => _pvds.TryGetValue(pvdId, out var pvd) && pvd.Equals(Sender);

    // Keep the PvD actors across a restart: their state (and their resolvers') is not what failed.
    protected override void PreRestart(Exception reason, object message) => PostStop();

    protected override void PostRestart(Exception reason)
    {
        // The PvD actors are still here; find them again, then read the interface from the backend, since the
        // observation that was being handled when the crash came is lost.
        foreach (var child in Context.GetChildren())
        {
            if (PvdActor.PvdIdOf(child.Path.Name) is { } pvdId)
            {
                _pvds[pvdId] = child;
            }
        }
        _log.Warning("Interface {0} restarted after {1}; reading it again from the backend", _name, reason.Message);
        _backend.ReadInterfaceAsync(_name, CancellationToken.None)
            .PipeTo(Self, success: state => new ReadAgain(state, null), failure: e => new ReadAgain(null, e));
    }

    private void Observe(InterfaceState state)
    {
        if (_failOnNextObservation)
        {
            _failOnNextObservation = false;
            throw new InjectedFaultException($"while observing {state.Name}");
        }
        Reconcile(state);
    }

    private void Reconcile(InterfaceState state)
    {
        _state = state;
        var pvds = ProvisioningDomains.Map(state, _static, Now);
        var wanted = pvds.Select(p => p.PvdId).ToHashSet();

        // Going: the PvDs first, then (when the link is no longer usable) the interface itself.
        foreach (var gone in _pvds.Keys.Where(id => !wanted.Contains(id)).ToArray())
        {
            Context.Watch(_pvds[gone]);
            Context.Stop(_pvds[gone]);
            _stopping.Add(gone);
            _pvds.Remove(gone);
            Context.Parent.Tell(new PvdRemovedReport(_name, gone));
        }
        // Coming: the host agent has announced the interface already; its PvD actors report through this actor.
        foreach (var facts in pvds)
        {
            if (!_pvds.TryGetValue(facts.PvdId, out var pvd))
            {
                if (_stopping.Contains(facts.PvdId))
                {
                    continue;   // its name is free once the old actor has stopped; created then (see Terminated)
                }
                pvd = Context.ActorOf(PvdActor.Props(facts.PvdId, _backend, _dns), PvdActor.ActorName(facts.PvdId));
                _pvds.Add(facts.PvdId, pvd);
            }
            pvd.Tell(new PvdFactsChanged(facts));
        }
    }

    private sealed record ReadAgain(InterfaceState? State, Exception? Failure);
}
