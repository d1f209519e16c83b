using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MifActors.Testing;

/// <summary>
/// A throw-away dnsmasq answering only from the records it is given, on a loopback address and port of its own (UDP
/// and TCP), killed on dispose. Names under <see cref="Domain"/> that it has no record for are NXDOMAIN; names
/// outside it are REFUSED (it has no upstream). Each instance takes a new address in 127.54.0.0/16, so that many run
/// side by side and tests never collide with each other or with other test runs' ports.
/// </summary>
public sealed class DnsmasqServer : IDisposable
{
    private static int s_next = Environment.ProcessId % 200 * 250;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    /// <summary>The domain this server is authoritative for (<c>--local</c>).</summary>
    public string Domain { get; }

    public IPEndPoint Endpoint { get; }

    /// <summary>What dnsmasq wrote to stderr so far: its start-up lines and every query (--log-queries).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts dnsmasq with <paramref name="records"/>, each a dnsmasq option without its dashes:
    /// <c>host-record=www.test,192.0.2.1,2001:db8::1</c>, <c>cname=alias.test,www.test</c>, <c>address=/any.test/192.0.2.9</c>.
    /// </summary>
    public DnsmasqServer(string domain, params string[] records) : this(domain, logQueries: true, records)
    {
    }

    /// <summary>As above; without <paramref name="logQueries"/> dnsmasq does not log each query (for benchmarks).</summary>
    public DnsmasqServer(string domain, bool logQueries, params string[] records)
    {
        Domain = domain;
        var n = Interlocked.Increment(ref s_next);
        var address = new IPAddress(new byte[] { 127, 54, (byte)(n / 250 % 250), (byte)(n % 250 + 1) });
        Endpoint = new IPEndPoint(address, FreePort(address));

        var arguments = new List<string>
        {
            "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--pid-file=",
            $"--listen-address={address}", $"--port={Endpoint.Port}", "--bind-interfaces", $"--local=/{domain}/",
            "--cache-size=0",
        };
        if (logQueries)
        {
            arguments.Add("--log-queries");
        }
        arguments.AddRange(records.Select(r => "--" + r));
        var start = new ProcessStartInfo(FindDnsmasq()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started.TrySetException(new InvalidOperationException($"dnsmasq on {Endpoint} exited: {Log}"));
                return;
            }
            lock (_log)
            {
                _log.AppendLine(e.Data);
            }
            // The last start-up line: it listens from now on.
            if (e.Data.Contains("cleared cache", StringComparison.Ordinal) || e.Data.Contains("cache disabled", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        if (!started.Task.Wait(TimeSpan.FromSeconds(10)))
        {
            Dispose();
            throw new TimeoutException($"dnsmasq on {Endpoint} did not start within 10 s: {Log}");
        }
    }

    /// <summary>How many queries it logged (with query logging on).</summary>
    public int Queries => Log.Split('\n').Count(line => line.Contains(": query[", StringComparison.Ordinal));

    private static int FreePort(IPAddress address)
    {
        // A port free for both UDP and TCP on this address; dnsmasq binds it right after.
        for (var tries = 0; ; tries++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException) when (tries < 20)
            {
            }
        }
    }

    private static string FindDnsmasq()
    {
        foreach (var candidate in new[] { "/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("dnsmasq is not installed (apt-get install dnsmasq-base); the DNS tests run against it");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
    }
}
