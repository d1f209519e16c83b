using System.Diagnostics;

namespace MifActors.Testing.Namespaces;

/// <summary>Runs a command-line tool to its end.</summary>
internal static class Tool
{
    /// <summary>Runs the tool and returns its standard output; throws with its standard error when it fails.</summary>
    public static string Run(string program, string[] arguments, string? standardInput = null) =>
        TryRun(program, arguments, standardInput, out var error) ?? throw new InvalidOperationException(
            $"{program} {string.Join(' ', arguments)} failed: {error.Trim()} (the namespace lab needs root, iproute2, nftables, radvd and dnsmasq)");

    public static string Run(string program, params string[] arguments) => Run(program, arguments, null);

    public static string? TryRun(string program, string[] arguments) => TryRun(program, arguments, null, out _);

    private static string? TryRun(string program, string[] arguments, string? standardInput, out string error)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        var errorRead = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        error = errorRead.Result;
        return process.ExitCode == 0 ? output : null;
    }
}
