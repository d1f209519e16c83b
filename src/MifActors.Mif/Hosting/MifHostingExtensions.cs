using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using MifActors.Mif.Api.Socket;
using MifActors.Mif.Host;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Simulated;

namespace MifActors.Mif.Hosting;

/// <summary>The host agent as an Akka.Hosting role: what a node calls when mifactors.node.roles lists host-agent.</summary>
public static class MifHostingExtensions
{
    /// <summary>
    /// Reads and checks every mifactors.mif setting the host agent and its socket use, as the actor system will
    /// read them; a node calls it before it starts, so that a wrong value stops it with one line.
    /// </summary>
    /// <exception cref="MifConfigurationException">A key has a value the host side cannot use; the message names it.</exception>
    public static void ValidateHostAgentSettings(Config config)
    {
        var settings = MifSettings.From(config);
        if (settings.Backend != MifSettings.SimulatedBackend)
        {
            throw new MifConfigurationException(
                $"mifactors.mif.backend: the {settings.Backend} backend is not in this build yet; use {MifSettings.SimulatedBackend}");
        }
        MifApiSocketSettings.From(config);
    }

    /// <summary>
    /// Starts the host agent at /user/host over the backend mifactors.mif.backend names, and, unless
    /// mifactors.mif.api.enabled is off, the JSON-lines socket at /user/mif-api in front of it. Both are in the
    /// <see cref="IActorRegistry"/> (as <see cref="HostAgent"/> and <see cref="MifApiSocketServer"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithMifHostAgent(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
        {
            var settings = MifSettings.Get(system);
            var backend = CreateBackend(system, settings);
            if (backend is IDisposable disposable)
                system.RegisterOnTermination(disposable.Dispose);
            var host = MifHost.Start(system, backend, settings);
            registry.Register<HostAgent>(host);

            var api = MifApiSocketSettings.Get(system);
            if (api.Enabled)
                registry.Register<MifApiSocketServer>(system.ActorOf(MifApiSocketServer.Props(host, api), "mif-api"));
        });

    // ValidateHostAgentSettings has refused the backends this build does not have.
    private static INetworkBackend CreateBackend(ActorSystem system, MifSettings settings) =>
        new SimulatedNetwork(system.Scheduler, settings.Simulated);
}
