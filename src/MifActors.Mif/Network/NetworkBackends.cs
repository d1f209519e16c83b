using Akka.Actor;
using MifActors.Mif.Network.Simulated;

namespace MifActors.Mif.Network;

/// <summary>The backend mifactors.mif.backend names.</summary>
public static class NetworkBackends
{
    /// <summary>
    /// A new backend for <paramref name="system"/>: simulated (an empty simulated network, to be filled by a scenario)
    /// or linux. The caller disposes it after the actor system.
    /// </summary>
    public static INetworkBackend Create(ActorSystem system, MifSettings settings) => settings.Backend switch
    {
        MifSettings.SimulatedBackend => new SimulatedNetwork(system.Scheduler, settings.Simulated),
        MifSettings.LinuxBackend => Linux.LinuxNetworkBackend.Start(system),
        _ => throw new MifConfigurationException(
            $"mifactors.mif.backend: \"{settings.Backend}\" is not built into this version; use simulated"),
    };
}
