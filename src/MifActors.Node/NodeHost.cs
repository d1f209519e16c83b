using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using MifActors.Node.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace MifActors.Node;

/// <summary>
/// A node on the .NET generic host: one actor system (Akka.Hosting) running the configured roles, Akka's log
/// on the console through Microsoft.Extensions.Logging, and a coordinated shutdown on SIGTERM or Ctrl+C.
/// </summary>
public static class NodeHost
{
    /// <summary>Builds the host for a loaded configuration; nothing runs until the host is started.</summary>
    public static IHost Build(NodeConfiguration configuration)
    {
        var settings = configuration.Settings;
        // No defaults: the node's configuration is HOCON only; appsettings.json and DOTNET_ variables would be a
        // second, silent source of settings.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // One line per event; Akka's own text already carries the time, level, thread and actor path.
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(ToExtensionsLevel(settings.LogLevel));
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);

        builder.Services.AddAkka(settings.Name, akka =>
        {
            akka.AddHocon(configuration.Config, HoconAddMode.Append);
            akka.ConfigureLoggers(loggers =>
            {
                // The builder writes akka.loglevel over the file's; give it the file's value back.
                loggers.LogLevel = settings.LogLevel > AkkaLogLevel.ErrorLevel ? AkkaLogLevel.ErrorLevel : settings.LogLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            foreach (var role in settings.Roles)
                role.Start(akka);
            akka.AddStartup((system, _) =>
                system.Log.Info("Node {0} running roles [{1}]", settings.Name, string.Join(", ", settings.Roles.Select(r => r.Name))));
        });
        return builder.Build();
    }

    /// <summary>
    /// Why the node's actor system stopped, when it stopped itself (a role could not run) rather than because the
    /// process was asked to stop; null for a requested stop.
    /// </summary>
    public static CoordinatedShutdown.Reason? UnrequestedStopReason(ActorSystem system)
    {
        var reason = CoordinatedShutdown.Get(system).ShutdownReason;
        return reason is null or CoordinatedShutdown.ClrExitReason ? null : reason;
    }

    private static LogLevel ToExtensionsLevel(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        AkkaLogLevel.ErrorLevel => LogLevel.Error,
        _ => LogLevel.None,
    };
}
