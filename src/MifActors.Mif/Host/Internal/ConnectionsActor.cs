using Akka.Actor;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// /user/host/connections: the parent of every connection actor, named by a counter (connection ids are the
/// subscribers' and may repeat across subscribers). A connection actor that throws is stopped; its subscriber sees it
/// terminate and reports NotConnected if it had not connected yet.
/// </summary>
internal sealed class ConnectionsActor : ReceiveActor
{
    private long _next;

    public static Props Props(INetworkBackend backend, TimeSpan connectTimeout) =>
        Akka.Actor.Props.Create(() => new ConnectionsActor(backend, connectTimeout));

    public ConnectionsActor(INetworkBackend backend, TimeSpan connectTimeout)
    {
        Receive<OpenConnection>(open =>
            Context.ActorOf(ConnectionActor.Props(open, backend, connectTimeout), (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);
}
