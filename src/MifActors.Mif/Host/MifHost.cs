using Akka.Actor;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host;

/// <summary>Starting the MIF API on an actor system.</summary>
public static class MifHost
{
    /// <summary>
    /// Starts the host agent at /user/host over <paramref name="backend"/>, with the system's mifactors.mif settings
    /// unless others are given. The caller keeps the backend and disposes it (if it is disposable) after the system.
    /// </summary>
    public static IActorRef Start(ActorSystem system, INetworkBackend backend, MifSettings? settings = null) =>
        system.ActorOf(HostAgent.Props(backend, settings ?? MifSettings.Get(system)), HostAgent.Name);
}
