using System.Diagnostics;

namespace MifActors.Pmip.Tests.Support;

/// <summary>Runs the real tshark on a capture. A missing tshark fails the test: CI installs it (.ci/run).</summary>
internal static class Tshark
{
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("tshark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("tshark did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                "tshark is not installed; these tests check our encoder against Wireshark's dissector. "
                + "Install it with `apt-get install -y tshark` (.ci/run does).", exception);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"tshark {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
            return output;
        }
    }

    /// <summary>One row per frame, one column per field, as <c>-T fields</c> prints them.</summary>
    public static string[][] Fields(string pcap, params string[] fields)
    {
        var arguments = new List<string> { "-r", pcap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=," };
        foreach (var field in fields)
        {
            arguments.Add("-e");
            arguments.Add(field);
        }

        return Run([.. arguments])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToArray();
    }

    /// <summary>Frame numbers matching a display filter.</summary>
    public static string[] Matching(string pcap, string filter) =>
        Run("-r", pcap, "-Y", filter, "-T", "fields", "-e", "frame.number")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
