using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace MifActors.Testing.Namespaces;

/// <summary>
/// dnsmasq as the DNS server of one network namespace: it answers only the names it is given (no upstream, no
/// /etc/hosts), listens on one address, and logs every query, which <see cref="Queries"/> counts.
/// </summary>
public sealed class Dnsmasq : IDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly StringBuilder log = new();
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int queries;

    private Dnsmasq(NetworkNamespace space, IPAddress listen, IReadOnlyDictionary<string, IPAddress[]> records)
    {
        directory = Directory.CreateTempSubdirectory("mif-dnsmasq-").FullName;
        string[] arguments =
        [
            "dnsmasq", "--conf-file=/dev/null", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll",
            "--bind-interfaces", $"--listen-address={listen}", "--port=53", "--user=root", "--log-queries",
            "--log-facility=-", $"--pid-file={System.IO.Path.Combine(directory, "dnsmasq.pid")}", "--cache-size=0",
        ];
        foreach (var (name, addresses) in records)
            arguments = [.. arguments, $"--host-record={name},{string.Join(',', addresses.Select(a => a.ToString()))}"];
        process = space.Start(arguments, Record);
        if (!listening.Task.Wait(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException($"dnsmasq in {space.Name} did not start listening on {listen}: {Log}");
    }

    /// <summary>
    /// Starts dnsmasq in <paramref name="space"/> on <paramref name="listen"/> (an address already configured
    /// there), answering <paramref name="records"/> (name to A/AAAA addresses) and refusing everything else.
    /// </summary>
    public static Dnsmasq Start(NetworkNamespace space, IPAddress listen, IReadOnlyDictionary<string, IPAddress[]> records) =>
        new(space, listen, records);

    /// <summary>How many queries dnsmasq has received.</summary>
    public int Queries => Volatile.Read(ref queries);

    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private void Record(string line)
    {
        lock (log) log.AppendLine(line);
        // "dnsmasq[123]: query[AAAA] www.example.test from 2001:db8:1::2"
        if (line.Contains(": query[", StringComparison.Ordinal)) Interlocked.Increment(ref queries);
        if (line.Contains("started, version", StringComparison.Ordinal)) listening.TrySetResult();
        if (line.Contains("FAILED to start up", StringComparison.Ordinal) || line.Contains("failed to create listening socket", StringComparison.Ordinal))
            listening.TrySetException(new InvalidOperationException(line));
    }

    /// <summary>A one-line description, for a test's output.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"dnsmasq ({Queries} queries)");
}
