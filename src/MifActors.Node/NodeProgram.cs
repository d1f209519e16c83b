using Akka.Actor;
using MifActors.Node.Configuration;
using MifActors.Node.Configuration.Internal;
using MifActors.Node.Roles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MifActors.Node;

/// <summary>The node's command line: <c>MifActors.Node [--config FILE]</c>.</summary>
public static class NodeProgram
{
    /// <summary>The process exit code for a configuration or command line the node cannot use.</summary>
    public const int BadConfiguration = 2;

    /// <summary>The process exit code when a role stopped the node by itself.</summary>
    public const int StoppedByRole = 1;

    private const string Usage = "usage: MifActors.Node [--config FILE.conf]  (see docs/node.md)";

    /// <summary>Runs a node until SIGTERM or Ctrl+C; returns the process exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="errors">Where a configuration error goes, as one line.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter errors)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        IHost host;
        try
        {
            var file = ConfigFile(args);
            var configuration = NodeConfiguration.Load(file, EnvironmentOverrides.FromProcess(), NodeRoles.All);
            host = NodeHost.Build(configuration);
        }
        catch (NodeConfigurationException e)
        {
            await errors.WriteLineAsync(e.Message);
            return BadConfiguration;
        }

        using (host)
        {
            try
            {
                await host.StartAsync();
            }
            catch (Exception e)
            {
                await errors.WriteLineAsync($"the node could not start: {HoconFile.OneLine(e.GetBaseException().Message)}");
                return StoppedByRole;
            }
            // Read before the host is disposed: why the actor system stopped tells a requested stop from a failure.
            var system = host.Services.GetRequiredService<ActorSystem>();
            await host.WaitForShutdownAsync();
            if (NodeHost.UnrequestedStopReason(system) is { } reason)
            {
                await errors.WriteLineAsync($"the node stopped by itself: {HoconFile.OneLine(reason.ToString() ?? "")}");
                return reason.ExitCode != 0 ? reason.ExitCode : StoppedByRole;
            }
        }
        return 0;
    }

    private static string? ConfigFile(string[] args)
    {
        string? file = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--config" && i + 1 < args.Length)
                file = args[++i];
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
                file = arg["--config=".Length..];
            else if (arg == "--config")
                throw new NodeConfigurationException($"--config needs a file; {Usage}");
            else
                throw new NodeConfigurationException($"unknown argument \"{arg}\"; {Usage}");
        }
        return file;
    }
}
