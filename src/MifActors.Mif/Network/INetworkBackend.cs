using Akka.Actor;
using DnsClient;

namespace MifActors.Mif.Network;

/// <summary>
/// What the host agent needs from the machine's network (the draft's "Network Link API", section 3.2.5): the state of
/// every interface and its changes, TCP connections from a chosen source address bound to an interface, and a DNS path
/// to a provisioning domain's servers. Two implementations: <c>Simulated.SimulatedNetwork</c> (virtual
/// interfaces on the actor system's scheduler) and the Linux one (rtnetlink, raw ICMPv6, SO_BINDTODEVICE).
/// Every method may be called from any thread. docs/mif-api.md, "The backend interface", says what each must do;
/// tests/MifActors.Mif.Tests/Conformance/NetworkBackendSpec.cs checks it.
/// </summary>
public interface INetworkBackend
{
    /// <summary>
    /// Starts telling <paramref name="observer"/> about the network: first one <see cref="NetworkObserved"/> with
    /// every interface as it is now, then <see cref="InterfaceObserved"/>, <see cref="InterfaceRemoved"/> and
    /// <see cref="InterfaceIntentObserved"/> as things change, in the order they happened. Watching again with the same
    /// observer (an actor that restarted) starts over with a new <see cref="NetworkObserved"/>.
    /// </summary>
    void Watch(IActorRef observer);

    /// <summary>Stops telling <paramref name="observer"/> anything.</summary>
    void Unwatch(IActorRef observer);

    /// <summary>
    /// The interface as it is now, or null when there is none by that name: what an interface actor reads again
    /// after it restarted. The same state <see cref="InterfaceObserved"/> would carry.
    /// </summary>
    Task<InterfaceState?> ReadInterfaceAsync(string interfaceName, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a TCP connection from <see cref="ConnectAttempt.Source"/>, bound to the attempt's interface, to its
    /// destination. Completes with <see cref="ConnectSucceeded"/> or <see cref="ConnectFailed"/>; never throws for a
    /// network failure. A black hole never completes: the caller cancels it on its own timeout.
    /// </summary>
    Task<ConnectOutcome> ConnectAsync(ConnectAttempt attempt, CancellationToken cancellationToken);

    /// <summary>
    /// A DnsClient query object whose queries reach <see cref="DnsPath.Servers"/> through the PvD's interface, and
    /// only those servers. <paramref name="settings"/> carries the HOCON options
    /// (<see cref="Dns.DnsSettings.ToLookupClientOptions"/> builds DnsClient's options from them and the endpoints).
    /// </summary>
    IDnsQuery CreateDnsQuery(DnsPath path, Dns.DnsSettings settings);

    /// <summary>
    /// The application wants to connect (draft section 3.2.7.26.1): bring up interfaces that are available but
    /// down. Nothing to do when every interface is up.
    /// </summary>
    void RequestConnectivity();
}
