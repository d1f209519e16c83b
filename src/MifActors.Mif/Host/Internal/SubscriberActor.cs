using Akka.Actor;
using MifActors.Mif.Api;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// One subscriber (/user/host/subscribers/&lt;n&gt;): the flags of draft section 3.2.7 for one application, its
/// outstanding translations and its connections. Everything for the application passes through here, so that it
/// arrives in one order: the host agent's announcements (filtered by the flags), subscription snapshots, and the
/// replies of PvDs, resolvers and connections. It watches the application and stops when the application does.
/// </summary>
internal sealed class SubscriberActor : ReceiveActor
{
    private readonly IActorRef _application;
    private readonly IActorRef _connections;
    private bool _interfaces;
    private readonly HashSet<string> _pvdInterfaces = [];
    private readonly HashSet<string> _elementPvds = [];
    private readonly HashSet<string> _addressPvds = [];
    private readonly Dictionary<string, (long Sequence, string PvdId, IActorRef Pvd)> _translations = new();
    private readonly Dictionary<string, Connection> _connectionsById = new();
    private long _sequence;

    public static Props Props(IActorRef application, IActorRef connections) =>
        Akka.Actor.Props.Create(() => new SubscriberActor(application, connections));

    public SubscriberActor(IActorRef application, IActorRef connections)
    {
        _application = application;
        _connections = connections;

        Receive<Broadcast>(broadcast => Announce(broadcast.Announcement));
        Receive<Subscribe>(Subscribe);
        Receive<Unsubscribe>(Unsubscribe);
        Receive<SubscriberReply>(reply => Send(reply.Message));
        Receive<StartQuery>(query => query.Pvd.Tell(new QueryConfiguration(query.Request, Self)));
        Receive<StartTranslation>(StartTranslation);
        Receive<StopTranslatingName>(stop =>
        {
            if (_translations.Remove(stop.TranslationId, out var t))
            {
                t.Pvd.Tell(new CancelResolve(stop.TranslationId, t.Sequence, Self));
            }
        });
        Receive<TranslationResult>(result =>
        {
            if (!_translations.TryGetValue(result.TranslationId, out var t) || t.Sequence != result.Sequence)
            {
                return;     // stopped, or an earlier translation with the same id
            }
            if (result.Message is not NameTranslation)
            {
                _translations.Remove(result.TranslationId);
            }
            Send(result.Message);
        });
        Receive<StartConnection>(StartConnection);
        Receive<ConnectionStarted>(started =>
        {
            if (_connectionsById.TryGetValue(started.ConnectionId, out var c) && c.Sequence == started.Sequence)
            {
                c.Actor = Sender;
                Context.Watch(Sender);
            }
        });
        Receive<ConnectionResult>(result =>
        {
            if (!_connectionsById.TryGetValue(result.ConnectionId, out var c) || c.Sequence != result.Sequence)
            {
                if (result.Message is Connected { Stream: { } orphan })
                {
                    orphan.Dispose();
                }
                return;
            }
            if (result.Message is Connected)
            {
                c.Established = true;
            }
            else
            {
                Forget(c);
            }
            Send(result.Message);
        });
        Receive<ConnectionEnded>(ended =>
        {
            if (_connectionsById.TryGetValue(ended.ConnectionId, out var c) && c.Sequence == ended.Sequence)
            {
                Forget(c);
            }
        });
        Receive<ConnectionHint>(hint =>
        {
            if (_connectionsById.TryGetValue(hint.ConnectionId, out var c) && c is { Established: true, Actor: not null })
            {
                c.Actor.Tell(hint.Hint);
                return;
            }
            Send(new Error(hint.Hint.GetType().Name, hint.ConnectionId,
                $"there is no established connection {hint.ConnectionId} of this subscriber"));
        });
        Receive<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_application))
            {
                Context.Stop(Self);
                return;
            }
            var lost = _connectionsById.Values.FirstOrDefault(c => terminated.ActorRef.Equals(c.Actor));
            if (lost is not null)
            {
                _connectionsById.Remove(lost.Id);
                if (!lost.Established)
                {
                    Send(new NotConnected(lost.Id, ConnectionFailure.Unreachable,
                        $"the attempt to connect {lost.Id} failed inside the host (see the host's log)"));
                }
            }
        });
    }

    protected override void PreStart() => Context.Watch(_application);

    private void Send(IFromMifApi message) => _application.Tell(message, Self);

    private void Announce(IFromMifApi announcement)
    {
        switch (announcement)
        {
            case InterfaceAnnouncement:
            case InterfaceIsGoingUp:
                if (_interfaces)
                {
                    Send(announcement);
                }
                break;
            case NoInterfaceAnnouncement gone:
                if (_interfaces)
                {
                    Send(gone);
                }
                _pvdInterfaces.Remove(gone.InterfaceId);    // section 3.2.7.5: automatically unsubscribed
                break;
            case InterfaceIsGoingAway going:
                if (_interfaces || _connectionsById.Values.Any(c => c.InterfaceName == going.InterfaceId))
                {
                    Send(going);
                }
                break;
            case ProvisioningDomainAnnouncement pvd:
                if (_pvdInterfaces.Contains(pvd.InterfaceId))
                {
                    Send(pvd);
                }
                break;
            case NoProvisioningDomainAnnouncement gone:
                if (_pvdInterfaces.Contains(gone.InterfaceId))
                {
                    Send(gone);
                }
                // A PvD that went away ends what was asked of it.
                _elementPvds.Remove(gone.PvdId);
                _addressPvds.Remove(gone.PvdId);
                foreach (var (id, t) in _translations.Where(t => t.Value.PvdId == gone.PvdId).ToArray())
                {
                    _translations.Remove(id);
                    t.Pvd.Tell(new CancelResolve(id, t.Sequence, Self));
                    Send(new NoNameTranslation(id, NameTranslationFailure.PvdGone, $"PvD {gone.PvdId} went away while translating"));
                }
                break;
            case ConfigurationElementAnnouncement element:
                if (_elementPvds.Contains(element.PvdId))
                {
                    Send(element);
                }
                break;
            case NoConfigurationElementAnnouncement element:
                if (_elementPvds.Contains(element.PvdId))
                {
                    Send(element);
                }
                break;
            case AddressAnnouncement address:
                if (_addressPvds.Contains(address.PvdId))
                {
                    Send(address);
                }
                break;
            case NoAddressAnnouncement address:
                if (_addressPvds.Contains(address.PvdId))
                {
                    Send(address);
                }
                break;
        }
    }

    private void Subscribe(Subscribe subscribe)
    {
        switch (subscribe.Kind)
        {
            case SubscriptionKind.Interfaces:
                _interfaces = true;
                break;
            case SubscriptionKind.ProvisioningDomains:
                _pvdInterfaces.Add(subscribe.Key!);
                break;
            case SubscriptionKind.ConfigurationElements:
                _elementPvds.Add(subscribe.Key!);
                break;
            case SubscriptionKind.Addresses:
                _addressPvds.Add(subscribe.Key!);
                break;
        }
        foreach (var announcement in subscribe.Snapshot)
        {
            Send(announcement);
        }
    }

    private void Unsubscribe(Unsubscribe unsubscribe)
    {
        var set = unsubscribe.Kind switch
        {
            SubscriptionKind.ProvisioningDomains => _pvdInterfaces,
            SubscriptionKind.ConfigurationElements => _elementPvds,
            SubscriptionKind.Addresses => _addressPvds,
            _ => null,
        };
        if (set is null)
        {
            _interfaces = false;
        }
        else if (unsubscribe.Key is null)
        {
            set.Clear();
        }
        else
        {
            set.Remove(unsubscribe.Key);
        }
    }

    private void StartTranslation(StartTranslation start)
    {
        var id = start.Request.TranslationId;
        if (_translations.ContainsKey(id))
        {
            Send(new Error(nameof(TranslateName), id,
                $"translation id {id} is already in use by an outstanding translation of this subscriber; choose another, or stop that one first"));
            return;
        }
        if (start.Failure is not null || start.Pvd is null || start.PvdId is null)
        {
            Send(start.Failure!);
            return;
        }
        var sequence = ++_sequence;
        _translations[id] = (sequence, start.PvdId, start.Pvd);
        start.Pvd.Tell(new Resolve(start.Request with { PvdId = start.PvdId }, start.PvdId, sequence, Self));
    }

    private void StartConnection(StartConnection start)
    {
        var id = start.ConnectionId;
        if (_connectionsById.ContainsKey(id))
        {
            Send(new Error(start.Request, id, $"connection id {id} is already in use by a connection of this subscriber; choose another"));
            return;
        }
        if (start.Failure is not null || start.Attempt is null)
        {
            Send(start.Failure!);
            return;
        }
        var connection = new Connection(id, ++_sequence, start.Attempt.InterfaceName);
        _connectionsById[id] = connection;
        _connections.Tell(new OpenConnection(id, connection.Sequence, start.Attempt, Self));
    }

    private void Forget(Connection connection)
    {
        _connectionsById.Remove(connection.Id);
        if (connection.Actor is not null)
        {
            Context.Unwatch(connection.Actor);
        }
    }

    private sealed class Connection(string id, long sequence, string interfaceName)
    {
        public string Id { get; } = id;
        public long Sequence { get; } = sequence;
        public string InterfaceName { get; } = interfaceName;
        public IActorRef? Actor { get; set; }
        public bool Established { get; set; }
    }
}
