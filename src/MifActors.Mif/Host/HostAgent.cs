using System.Globalization;
using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Api;
using MifActors.Mif.Host.Internal;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host;

/// <summary>
/// The MIF API of one host (/user/host): it watches the network backend, keeps one interface actor per interface,
/// announces what they report to every subscriber whose flags ask for it, and routes subscribers' requests.
/// Send it the records of <see cref="MifActors.Mif.Api"/> with yourself as the sender (docs/mif-api.md,
/// "The subscriber contract"). A crash below it stays below it: an interface actor restarts and reads its interface
/// again, a subscriber is resumed, a connection actor is stopped.
/// </summary>
public sealed partial class HostAgent : ReceiveActor
{
    /// <summary>The host agent's name under /user, where subscribers send their requests.</summary>
    public const string Name = "host";

    private readonly INetworkBackend _backend;
    private readonly MifSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HostModel _model = new();
    private readonly Dictionary<string, IActorRef> _interfaces = new();
    private readonly Dictionary<IActorRef, string> _names = new();
    private readonly HashSet<string> _stopping = [];
    private readonly Dictionary<string, InterfaceState> _waitingForName = new();
    private readonly Dictionary<IActorRef, SubscriberEntry> _subscribers = new();
    private readonly Dictionary<string, IActorRef> _applications = new();
    private readonly List<IFromMifApi> _announcements = [];
    private IActorRef _subscriberParent = ActorRefs.Nobody;
    private IActorRef _connectionParent = ActorRefs.Nobody;
    private long _nextSubscriber;

    public static Props Props(INetworkBackend backend, MifSettings settings) =>
        Akka.Actor.Props.Create(() => new HostAgent(backend, settings));

    public HostAgent(INetworkBackend backend, MifSettings settings)
    {
        _backend = backend;
        _settings = settings;

        Receive<NetworkObserved>(observed =>
        {
            var present = observed.Interfaces.Select(i => i.Name).ToHashSet();
            foreach (var gone in _interfaces.Keys.Where(name => !present.Contains(name)).ToArray())
            {
                RemoveInterface(gone);
            }
            foreach (var state in observed.Interfaces)
            {
                Observe(state);
            }
        });
        Receive<InterfaceObserved>(observed => Observe(observed.State));
        Receive<InterfaceRemoved>(removed => RemoveInterface(removed.InterfaceName));
        Receive<InterfaceIntentObserved>(intent => Publish(intent.Intent == InterfaceIntent.GoingAway
            ? new InterfaceIsGoingAway(intent.InterfaceName)
            : new InterfaceIsGoingUp(intent.InterfaceName)));

        Receive<PvdReport>(report =>
        {
            if (!IsCurrentInterface(report.InterfaceName))
            {
                return;
            }
            if (!_model.ApplyPvd(report, Now, _announcements))
            {
                _log.Warning("PvD {0} on {1} is not announced: a PvD with that id is already on {2}",
                    report.View.PvdId, report.InterfaceName, _model.FindPvd(report.View.PvdId)?.InterfaceName);
            }
            Flush();
        });
        Receive<PvdRemovedReport>(report =>
        {
            if (IsCurrentInterface(report.InterfaceName))
            {
                _model.RemovePvd(report.InterfaceName, report.PvdId, _announcements);
                Flush();
            }
        });
        Receive<Terminated>(terminated =>
        {
            if (!_names.Remove(terminated.ActorRef, out var name))
            {
                return;
            }
            if (_stopping.Remove(name))
            {
                if (_waitingForName.Remove(name, out var state))
                {
                    Observe(state);
                }
                return;
            }
            // Restarted too often and stopped by its supervisor: announce it away like a removed interface.
            _log.Error("Interface actor {0} stopped after repeated failures; its interface is no longer announced", name);
            _interfaces.Remove(name);
            _model.RemoveInterface(name, _announcements);
            Flush();
        });
        Receive<SubscriberGone>(gone =>
        {
            if (_applications.Remove(gone.SubscriberId, out var application))
            {
                _subscribers.Remove(application);
            }
        });

        Receive<IToMifApi>(Request);
    }

    protected override void PreStart()
    {
        _connectionParent = Context.ActorOf(ConnectionsActor.Props(_backend, _settings.ConnectTimeout), "connections");
        _subscriberParent = Context.ActorOf(SubscribersActor.Props(_connectionParent), "subscribers");
        _backend.Watch(Self);
    }

    protected override void PostStop() => _backend.Unwatch(Self);

    // Interface actors restart (and read their interface again); the two parents keep their children (resume).
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private bool IsCurrentInterface(string name) => _interfaces.TryGetValue(name, out var actor) && actor.Equals(Sender);

    private void Observe(InterfaceState state)
    {
        if (_stopping.Contains(state.Name))
        {
            _waitingForName[state.Name] = state;    // the previous actor of that name is still stopping
            return;
        }
        // The interface itself is announced from here, in the order the backend saw things; its PvDs follow from its
        // actor's reports. When it is no longer usable, its PvDs and then it are announced away at once; the PvD
        // removals its actor reports after that find nothing left to announce.
        _model.ApplyInterface(new InterfaceReport(state.Name, state.DisplayName, state.Usable), _announcements);
        Flush();
        if (!_interfaces.TryGetValue(state.Name, out var actor))
        {
            actor = Context.ActorOf(
                InterfaceActor.Props(state.Name, _backend, _settings.StaticInterfaces.GetValueOrDefault(state.Name), _settings.Dns),
                InterfaceActor.ActorName(state.Name));
            Context.Watch(actor);
            _interfaces.Add(state.Name, actor);
            _names.Add(actor, state.Name);
        }
        actor.Tell(state);
    }

    private void RemoveInterface(string name)
    {
        _waitingForName.Remove(name);
        if (!_interfaces.Remove(name, out var actor))
        {
            return;
        }
        _model.RemoveInterface(name, _announcements);
        Flush();
        // A new interface of the same name waits until this actor's name is free (see Terminated).
        _stopping.Add(name);
        Context.Stop(actor);
    }

    private void Flush()
    {
        foreach (var announcement in _announcements)
        {
            Publish(announcement);
            if (announcement is NoProvisioningDomainAnnouncement gone)
            {
                foreach (var entry in _subscribers.Values.Where(e => e.SelectedPvd == gone.PvdId))
                {
                    entry.SelectedPvd = null;
                }
            }
        }
        _announcements.Clear();
    }

    private void Publish(IFromMifApi announcement) => _subscriberParent.Tell(new Broadcast(announcement));

    private sealed class SubscriberEntry(string id)
    {
        public string Id { get; } = id;
        public string? SelectedPvd { get; set; }
    }

    private SubscriberEntry SubscriberOf(IActorRef application)
    {
        if (!_subscribers.TryGetValue(application, out var entry))
        {
            entry = new SubscriberEntry((++_nextSubscriber).ToString(CultureInfo.InvariantCulture));
            _subscribers.Add(application, entry);
            _applications.Add(entry.Id, application);
            _subscriberParent.Tell(new CreateSubscriber(entry.Id, application));
        }
        return entry;
    }
}
