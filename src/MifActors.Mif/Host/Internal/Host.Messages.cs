using System.Net;
using Akka.Actor;
using MifActors.Mif.Api;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host.Internal;

// Messages inside one host's actor tree; none crosses a process boundary.

// --- PvD actors -> host agent (always through the interface actor, so that their order holds) ----------------------

/// <summary>An interface's announced face, from the backend's observation: its display name, and whether it is usable (announced at all).</summary>
internal sealed record InterfaceReport(string InterfaceName, string DisplayName, bool Usable);

/// <summary>What a PvD looks like now; the host agent announces the differences from what it announced before.</summary>
internal sealed record PvdReport(string InterfaceName, PvdView View, IActorRef Pvd);

/// <summary>A PvD is gone (expired, or no longer configured); what remains of it is announced away first.</summary>
internal sealed record PvdRemovedReport(string InterfaceName, string PvdId);

/// <summary>
/// The announced face of a PvD: its elements and addresses, plus what DNS selection needs (search domains, whether
/// it has servers), which is not announced.
/// </summary>
internal sealed record PvdView(
    string PvdId,
    IReadOnlyList<ConfigurationElementType> Elements,
    IReadOnlyList<AddressView> Addresses,
    IReadOnlyList<string> SearchDomains,
    bool HasDnsServers)
{
    public bool SameAnnouncedFace(PvdView other) =>
        PvdId == other.PvdId && Elements.SequenceEqual(other.Elements) && Addresses.SequenceEqual(other.Addresses)
        && SearchDomains.SequenceEqual(other.SearchDomains) && HasDnsServers == other.HasDnsServers;
}

/// <summary>An address of a PvD with its deadlines (null: never); announced again only when Deprecated changes.</summary>
internal sealed record AddressView(IPAddress Address, int PrefixLength, DateTimeOffset? ValidUntil, DateTimeOffset? PreferredUntil, bool Deprecated);

// --- interface actor <-> PvD actor ------------------------------------------------------------------------------------

/// <summary>The facts that make up one PvD now; the PvD actor expires them on the scheduler.</summary>
internal sealed record PvdFactsChanged(PvdFacts Facts);

/// <summary>Everything in the PvD has expired; the interface actor removes it.</summary>
internal sealed record PvdExpired(string PvdId);

/// <summary>A PvD actor (re)started and asks its interface actor for its facts.</summary>
internal sealed record PvdStarted(string PvdId);

// --- PvD actor <-> resolver ----------------------------------------------------------------------------------------

/// <summary>The resolver (re)started and asks its PvD for the DNS path.</summary>
internal sealed record ResolverStarted;

/// <summary>The PvD's DNS servers (and the way to them) changed.</summary>
internal sealed record DnsPathChanged(DnsPath Path, IReadOnlyList<string> SearchDomains);

/// <summary>Translate a name for a subscriber; <paramref name="Sequence"/> tells this translation from an earlier one with the same id.</summary>
internal sealed record Resolve(TranslateName Request, string PvdId, long Sequence, IActorRef ReplyTo);

/// <summary>The subscriber lost interest in a translation.</summary>
internal sealed record CancelResolve(string TranslationId, long Sequence, IActorRef ReplyTo);

/// <summary>A translation's next message for the subscriber (NameTranslation, NameTranslationComplete, NoNameTranslation).</summary>
internal sealed record TranslationResult(string TranslationId, long Sequence, IFromMifApi Message);

/// <summary>A GetConfigurationData with its PvD resolved, for the subscriber actor to ask.</summary>
internal sealed record StartQuery(GetConfigurationData Request, IActorRef Pvd);

/// <summary>Ask a PvD for configuration data; the answer goes to <paramref name="ReplyTo"/> as a <see cref="SubscriberReply"/>.</summary>
internal sealed record QueryConfiguration(GetConfigurationData Request, IActorRef ReplyTo);

// --- host agent <-> subscribers ------------------------------------------------------------------------------------

internal enum SubscriptionKind
{
    Interfaces,
    ProvisioningDomains,
    ConfigurationElements,
    Addresses,
}

/// <summary>Create the subscriber actor for an application (a sender of MIF API requests).</summary>
internal sealed record CreateSubscriber(string SubscriberId, IActorRef Application);

/// <summary>A message for one subscriber actor.</summary>
internal sealed record Deliver(string SubscriberId, object Message);

/// <summary>An announcement for every subscriber actor, each of which decides from its flags whether to pass it on.</summary>
internal sealed record Broadcast(IFromMifApi Announcement);

/// <summary>A subscriber stopped (its application terminated); the host agent forgets it.</summary>
internal sealed record SubscriberGone(string SubscriberId);

/// <summary>Start a subscription; <paramref name="Snapshot"/> is what exists now, sent before any change.</summary>
internal sealed record Subscribe(SubscriptionKind Kind, string? Key, IReadOnlyList<IFromMifApi> Snapshot);

/// <summary>End a subscription; a null key ends every subscription of that kind.</summary>
internal sealed record Unsubscribe(SubscriptionKind Kind, string? Key);

/// <summary>A reply for the application, passed on as it is.</summary>
internal sealed record SubscriberReply(IFromMifApi Message);

/// <summary>
/// A TranslateName with its PvD resolved: either the PvD actor to ask, or the failure to report (after the
/// subscriber has checked the translation id).
/// </summary>
internal sealed record StartTranslation(TranslateName Request, string? PvdId, IActorRef? Pvd, NoNameTranslation? Failure);

/// <summary>A connect request with its attempt worked out, or the failure to report (after the id check).</summary>
internal sealed record StartConnection(string Request, string ConnectionId, ConnectAttempt? Attempt, NotConnected? Failure);

/// <summary>A request about one of the subscriber's connections (ConnectionIsIdle, ConnectionCanBeBroken).</summary>
internal sealed record ConnectionHint(string ConnectionId, IToMifApi Hint);

// --- subscribers <-> connections -----------------------------------------------------------------------------------

/// <summary>Open a connection for a subscriber.</summary>
internal sealed record OpenConnection(string ConnectionId, long Sequence, ConnectAttempt Attempt, IActorRef Subscriber);

/// <summary>A connection actor started; the subscriber watches it.</summary>
internal sealed record ConnectionStarted(string ConnectionId, long Sequence);

/// <summary>A connection's Connected or NotConnected.</summary>
internal sealed record ConnectionResult(string ConnectionId, long Sequence, IFromMifApi Message);

/// <summary>The application closed an established connection (disposed its stream).</summary>
internal sealed record ConnectionEnded(string ConnectionId, long Sequence);
