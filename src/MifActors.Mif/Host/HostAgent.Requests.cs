using System.Net;
using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Api;
using MifActors.Mif.Host.Internal;
using MifActors.Mif.Network;
using Error = MifActors.Mif.Api.Error;

namespace MifActors.Mif.Host;

// The MIF API requests (draft section 3.2.7): each is checked, its PvD worked out (named, selected with ConnectToPvd,
// or chosen by dns-selection), and passed to the sender's subscriber actor with what it needs, so that the answer
// reaches the sender after everything announced before it.
public sealed partial class HostAgent
{
    private void Request(IToMifApi request)
    {
        var subscriber = SubscriberOf(Sender);
        switch (request)
        {
            case AnnounceInterfaces:
                To(subscriber, new Subscribe(SubscriptionKind.Interfaces, null, _model.InterfaceSnapshot()));
                break;
            case StopAnnouncingInterfaces:
                To(subscriber, new Unsubscribe(SubscriptionKind.Interfaces, null));
                break;

            case AnnounceProvisioningDomains { InterfaceId: var interfaceId }:
                if (string.IsNullOrWhiteSpace(interfaceId))
                {
                    Reply(subscriber, new Error(nameof(AnnounceProvisioningDomains), null, "interfaceId is missing: name the interface whose PvDs to announce"));
                }
                else if (!_model.HasInterface(interfaceId))
                {
                    Reply(subscriber, new Error(nameof(AnnounceProvisioningDomains), interfaceId,
                        $"there is no interface {interfaceId} (AnnounceInterfaces lists those there are)"));
                }
                else
                {
                    To(subscriber, new Subscribe(SubscriptionKind.ProvisioningDomains, interfaceId, _model.PvdSnapshot(interfaceId)));
                }
                break;
            case StopAnnouncingProvisioningDomains stop:
                To(subscriber, new Unsubscribe(SubscriptionKind.ProvisioningDomains, stop.InterfaceId));
                break;

            case AnnounceConfigurationElements announce:
                if (Known(subscriber, nameof(AnnounceConfigurationElements), announce.PvdId) is { } elementsOf)
                {
                    To(subscriber, new Subscribe(SubscriptionKind.ConfigurationElements, elementsOf, _model.ElementSnapshot(elementsOf)));
                }
                break;
            case StopAnnouncingConfigurationElements stop:
                To(subscriber, new Unsubscribe(SubscriptionKind.ConfigurationElements, stop.PvdId));
                break;

            case AnnounceAddresses announce:
                if (Known(subscriber, nameof(AnnounceAddresses), announce.PvdId) is { } addressesOf)
                {
                    To(subscriber, new Subscribe(SubscriptionKind.Addresses, addressesOf, _model.AddressSnapshot(addressesOf, Now)));
                }
                break;
            case StopAnnouncingAddresses stop:
                To(subscriber, new Unsubscribe(SubscriptionKind.Addresses, stop.PvdId));
                break;

            case GetConfigurationData get:
                GetConfigurationData(subscriber, get);
                break;

            case TranslateName translate:
                TranslateName(subscriber, translate);
                break;
            case StopTranslatingName stop:
                if (string.IsNullOrWhiteSpace(stop.TranslationId))
                {
                    Reply(subscriber, new Error(nameof(StopTranslatingName), null, "translationId is missing: name the translation to stop"));
                    break;
                }
                To(subscriber, stop);
                break;

            case ConnectToPvd select:
                if (select.PvdId is { } selected && _model.FindPvd(selected) is not null)
                {
                    subscriber.SelectedPvd = selected;
                }
                else
                {
                    Reply(subscriber, new Error(nameof(ConnectToPvd), select.PvdId,
                        $"there is no PvD {select.PvdId} to select (AnnounceProvisioningDomains lists those on an interface)"));
                }
                break;
            case ConnectToAddress connect:
                Connect(subscriber, nameof(ConnectToAddress), null, connect.Address, connect.Port, connect.PvdId, connect.ConnectionId);
                break;
            case ConnectToAddressFromAddress connect:
                if (connect.SourceAddress is null)
                {
                    Reply(subscriber, new Error(nameof(ConnectToAddressFromAddress), connect.ConnectionId, "sourceAddress is missing"));
                    break;
                }
                Connect(subscriber, nameof(ConnectToAddressFromAddress), connect.SourceAddress, connect.Address, connect.Port, connect.PvdId, connect.ConnectionId);
                break;

            case WantsToConnect:
                try
                {
                    _backend.RequestConnectivity();
                }
                catch (Exception e)
                {
                    _log.Warning("WantsToConnect: the backend could not bring interfaces up: {0}", e.Message);
                }
                break;
            case ConnectionIsIdle idle:
                Hint(subscriber, idle.ConnectionId, idle);
                break;
            case ConnectionCanBeBroken canBeBroken:
                Hint(subscriber, canBeBroken.ConnectionId, canBeBroken);
                break;

            default:
                Reply(subscriber, new Error(request.GetType().Name, null, $"{request.GetType().Name} is not a request the MIF API accepts"));
                break;
        }
    }

    private void To(SubscriberEntry subscriber, object message) => _subscriberParent.Tell(new Deliver(subscriber.Id, message));

    private void Reply(SubscriberEntry subscriber, IFromMifApi message) => To(subscriber, new SubscriberReply(message));

    /// <summary>The PvD a request is about: the one it names, else the subscriber's selected one; null with an Error sent when there is none.</summary>
    private string? Known(SubscriberEntry subscriber, string request, string? pvdId)
    {
        var id = pvdId ?? subscriber.SelectedPvd;
        if (id is null)
        {
            Reply(subscriber, new Error(request, null, "pvdId is missing, and no PvD is selected (ConnectToPvd): name the PvD"));
            return null;
        }
        if (_model.FindPvd(id) is null)
        {
            Reply(subscriber, new Error(request, id, $"there is no PvD {id} (AnnounceProvisioningDomains lists those on an interface)"));
            return null;
        }
        return id;
    }

    private void GetConfigurationData(SubscriberEntry subscriber, GetConfigurationData get)
    {
        if (!Enum.IsDefined(get.ElementType) || !Enum.IsDefined(get.Identifier))
        {
            Reply(subscriber, new Error(nameof(Api.GetConfigurationData), get.PvdId,
                $"unknown elementType {get.ElementType} or identifier {get.Identifier}"));
            return;
        }
        var id = get.PvdId ?? subscriber.SelectedPvd;
        if (id is null)
        {
            Reply(subscriber, new Error(nameof(Api.GetConfigurationData), null, "pvdId is missing, and no PvD is selected (ConnectToPvd): name the PvD"));
            return;
        }
        if (_model.FindPvd(id) is not { } pvd)
        {
            Reply(subscriber, new NoConfigurationData(id, get.ElementType, get.Identifier));
            return;
        }
        // Through the subscriber actor, which the PvD answers.
        To(subscriber, new StartQuery(get with { PvdId = id }, pvd.Actor));
    }

    private void TranslateName(SubscriberEntry subscriber, TranslateName translate)
    {
        if (string.IsNullOrWhiteSpace(translate.TranslationId))
        {
            Reply(subscriber, new Error(nameof(Api.TranslateName), null, "translationId is missing: give each translation an id unique among yours"));
            return;
        }
        if (string.IsNullOrWhiteSpace(translate.Name))
        {
            Reply(subscriber, new Error(nameof(Api.TranslateName), translate.TranslationId, "name is missing: give the name to translate"));
            return;
        }

        var id = translate.PvdId ?? subscriber.SelectedPvd;
        var pvd = id is not null ? _model.FindPvd(id) : DnsSelection.Choose(translate.Name, _settings.DnsSelection, _model);
        if (pvd is null)
        {
            var message = id is not null
                ? $"there is no PvD {id} (AnnounceProvisioningDomains lists those on an interface)"
                : $"no PvD named for {translate.Name}, none selected (ConnectToPvd), and no mifactors.mif.dns-selection rule, " +
                  "search domain or default interface chooses one";
            To(subscriber, new StartTranslation(translate, null, null,
                new NoNameTranslation(translate.TranslationId, NameTranslationFailure.UnknownPvd, message)));
            return;
        }
        To(subscriber, new StartTranslation(translate, pvd.View.PvdId, pvd.Actor, null));
    }

    private void Connect(SubscriberEntry subscriber, string request, IPAddress? source, IPAddress? destination, int port, string? pvdId, string? connectionId)
    {
        if (string.IsNullOrWhiteSpace(connectionId))
        {
            Reply(subscriber, new Error(request, null, "connectionId is missing: give each connection an id unique among yours"));
            return;
        }
        if (destination is null || port is < 1 or > 65535)
        {
            Reply(subscriber, new Error(request, connectionId, $"expected a destination address and a port from 1 to 65535, got {destination?.ToString() ?? "no address"} port {port}"));
            return;
        }

        var id = pvdId ?? subscriber.SelectedPvd;
        if ((id is null ? null : _model.FindPvd(id)) is not { } pvd)
        {
            Fail(ConnectionFailure.UnknownPvd, id is null
                ? "pvdId is missing, and no PvD is selected (ConnectToPvd): name the PvD to connect through"
                : $"there is no PvD {id} (AnnounceProvisioningDomains lists those on an interface)");
            return;
        }

        var addresses = pvd.View.Addresses;
        if (source is not null && !addresses.Any(a => a.Address.Equals(source)))
        {
            Fail(ConnectionFailure.NoSourceAddress, $"{source} is not an address of PvD {pvd.View.PvdId}");
            return;
        }
        source ??= SourceAddressSelection.Choose(addresses, destination);
        if (source is null || source.AddressFamily != destination.AddressFamily)
        {
            Fail(ConnectionFailure.NoSourceAddress,
                $"PvD {pvd.View.PvdId} has no {(destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} address to connect to {destination} from");
            return;
        }
        To(subscriber, new StartConnection(request, connectionId,
            new ConnectAttempt(pvd.InterfaceName, pvd.View.PvdId, source, new IPEndPoint(destination, port)), null));

        void Fail(ConnectionFailure reason, string message) =>
            To(subscriber, new StartConnection(request, connectionId, null, new NotConnected(connectionId, reason, message)));
    }

    private void Hint(SubscriberEntry subscriber, string? connectionId, IToMifApi hint)
    {
        if (string.IsNullOrWhiteSpace(connectionId))
        {
            Reply(subscriber, new Error(hint.GetType().Name, null, "connectionId is missing: name the connection"));
            return;
        }
        To(subscriber, new ConnectionHint(connectionId, hint));
    }
}
