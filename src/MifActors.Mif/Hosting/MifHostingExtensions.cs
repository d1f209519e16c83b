using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using MifActors.Mif.Api.Socket;
using MifActors.Mif.Host;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Linux;

namespace MifActors.Mif.Hosting;

/// <summary>The host agent as an Akka.Hosting role: what a node calls when mifactors.node.roles lists host-agent.</summary>
public static class MifHostingExtensions
{
    /// <summary>
    /// Reads and checks every mifactors.mif setting the host agent, its backend and its socket use, as the actor
    /// system will read them; a node calls it before it starts, so that a wrong value stops it with one line.
    /// </summary>
    /// <exception cref="MifConfigurationException">A key has a value the host side cannot use; the message names it.</exception>
    public static void ValidateHostAgentSettings(Config config)
    {
        var settings = MifSettings.From(config);
        if (settings.Backend == MifSettings.LinuxBackend)
            LinuxNetworkSettings.From(config);
        MifApiSocketSettings.From(config);
    }

    /// <summary>
    /// Starts the backend mifactors.mif.backend names, the host agent at /user/host over it, and, unless
    /// mifactors.mif.api.enabled is off, the JSON-lines socket at /user/mif-api in front of it. Both actors are in the
    /// <see cref="IActorRegistry"/> (as <see cref="HostAgent"/> and <see cref="MifApiSocketServer"/>). A backend that
    /// cannot start (no privileges, no such network namespace) shuts the actor system down with
    /// <see cref="MifUnavailable"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithMifHostAgent(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
        {
            var settings = MifSettings.Get(system);
            INetworkBackend backend;
            try
            {
                backend = NetworkBackends.Create(system, settings);
            }
            catch (Exception e)
            {
                var message = $"the {settings.Backend} network backend could not start: {e.Message}";
                system.Log.Error(message);
                CoordinatedShutdown.Get(system).Run(new MifUnavailable(message));
                return;
            }
            if (backend is IDisposable disposable)
                system.RegisterOnTermination(disposable.Dispose);

            var host = MifHost.Start(system, backend, settings);
            registry.Register<HostAgent>(host);

            var api = MifApiSocketSettings.Get(system);
            if (api.Enabled)
                registry.Register<MifApiSocketServer>(system.ActorOf(MifApiSocketServer.Props(host, api), "mif-api"));
        });
}
