using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MifActors.Actors.Hosting;

/// <summary>Runs an actor system inside a .NET generic host.</summary>
public static class ActorSystemHostingExtensions
{
    /// <summary>
    /// Registers an <see cref="ActorSystem"/> singleton made from the host's configuration, logging and
    /// <see cref="TimeProvider"/> (when registered). <paramref name="start"/> runs when the host starts (create
    /// your top-level actors there); the system terminates when the host stops.
    /// </summary>
    public static IServiceCollection AddActorSystem(
        this IServiceCollection services,
        string name,
        Action<ActorSystem, IServiceProvider>? start = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        services.AddSingleton(provider => ActorSystem.Create(name, new ActorSystemOptions
        {
            Configuration = provider.GetService<IConfiguration>(),
            LoggerFactory = provider.GetService<ILoggerFactory>(),
            TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
        }));
        services.AddHostedService(provider => new ActorSystemHostedService(
            provider.GetRequiredService<ActorSystem>(), provider, start, provider.GetService<IHostApplicationLifetime>()));
        return services;
    }

    private sealed class ActorSystemHostedService(
        ActorSystem system,
        IServiceProvider provider,
        Action<ActorSystem, IServiceProvider>? start,
        IHostApplicationLifetime? lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            start?.Invoke(system, provider);

            // A system that ends on its own (its user guardian stopped) takes the host down with it.
            system.WhenTerminated.ContinueWith(_ => lifetime?.StopApplication(), TaskScheduler.Default);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => system.Terminate().WaitAsync(cancellationToken);
    }
}
