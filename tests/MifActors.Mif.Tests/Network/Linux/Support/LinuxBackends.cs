using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using MifActors.Mif.Network.Linux;
using MifActors.Testing.Namespaces;

namespace MifActors.Mif.Tests.Network.Linux.Support;

/// <summary>Linux backends for tests: each works in a namespace of the test's own, the actor system stays outside.</summary>
internal static class LinuxBackends
{
    /// <summary>
    /// A backend in <paramref name="space"/>; <paramref name="config"/> adds mifactors.mif keys (for example
    /// static-interfaces).
    /// </summary>
    public static LinuxNetworkBackend StartIn(NetworkNamespace space, ActorSystem system, string config = "")
    {
        var settings = ConfigurationFactory.ParseString($"mifactors.mif.linux.network-namespace = \"{space.Path}\"\n{config}")
            .WithFallback(system.Settings.Config);
        return LinuxNetworkBackend.Start(
            system.Scheduler, LinuxNetworkSettings.From(settings), MifSettings.From(settings).StaticInterfaces,
            Logging.GetLogger(system, typeof(LinuxNetworkBackend)));
    }
}
