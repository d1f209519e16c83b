using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MifActors.Testing.Namespaces;

/// <summary>
/// A network namespace of one test run, named <c>mif-&lt;pid&gt;-&lt;n&gt;-&lt;role&gt;</c> and removed (with every
/// process started in it) by <see cref="Dispose"/>. The first namespace a process creates first removes those of
/// runs that were killed (their pid is gone), so a crashed run leaves nothing behind for long.
/// Needs root (CI runs as root) and iproute2.
/// <para>
/// Code runs inside with <see cref="Run{T}"/>: setns moves only the calling thread, so the action runs on a thread of
/// its own. A socket stays in the namespace it was created in, so the rest of a test may use it from any thread.
/// </para>
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private const string Prefix = "mif-";
    private static readonly Lock LeftoversOnce = new();
    private static bool leftoversRemoved;
    private static int created;
    private readonly List<Process> processes = [];
    private bool disposed;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name, as <c>ip netns</c> knows it.</summary>
    public string Name { get; }

    /// <summary>The bind mount that keeps the namespace alive; what <c>setns</c> opens.</summary>
    public string Path => $"/var/run/netns/{Name}";

    /// <summary>
    /// Creates a namespace with loopback up and IPv6 duplicate address detection off (addresses usable at once),
    /// so a test does not wait the second DAD takes.
    /// </summary>
    /// <param name="role">A short word for what the namespace is (host, wifi, lte); it ends the name.</param>
    public static NetworkNamespace Create(string role)
    {
        RemoveLeftoversOnce();
        var name = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref created)}-{role}";
        if (name.Length > 64) throw new ArgumentException($"namespace role \"{role}\" makes the name longer than 64 characters", nameof(role));
        Tool.Run("ip", "netns", "add", name);
        var space = new NetworkNamespace(name);
        try
        {
            space.Run(() =>
            {
                foreach (var scope in (string[])["all", "default"])
                {
                    WriteSysctl($"net/ipv6/conf/{scope}/accept_dad", "0");
                    WriteSysctl($"net/ipv6/conf/{scope}/dad_transmits", "0");
                }
            });
            space.Ip("link", "set", "lo", "up");
            return space;
        }
        catch
        {
            space.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>ip -n NAME ARGS</c> and throws with ip's own message when it fails.</summary>
    public void Ip(params string[] arguments) => Tool.Run("ip", ["-n", Name, .. arguments]);

    /// <summary>Runs many <c>ip</c> commands in one process (<c>ip -n NAME -batch -</c>): one fork instead of one per line.</summary>
    public void IpBatch(IEnumerable<string> commands) =>
        Tool.Run("ip", ["-n", Name, "-batch", "-"], standardInput: string.Join('\n', commands) + "\n");

    /// <summary>Runs <c>ip -n NAME ARGS</c> and returns what it printed.</summary>
    public string IpOutput(params string[] arguments) => Tool.Run("ip", ["-n", Name, .. arguments]);

    /// <summary>Runs a program inside to its end (as <c>ip netns exec</c>) and returns its output; throws when it fails.</summary>
    public string Execute(params string[] arguments) => Tool.Run("ip", ["netns", "exec", Name, .. arguments]);

    /// <summary>As <see cref="Execute"/>, with <paramref name="standardInput"/> written to the program.</summary>
    public string ExecuteWithInput(string standardInput, params string[] arguments) =>
        Tool.Run("ip", ["netns", "exec", Name, .. arguments], standardInput);

    /// <summary>
    /// Starts a long-running program inside (as <c>ip netns exec</c>); it is killed by <see cref="Dispose"/> if it
    /// is still running. Its output is read in the background into <paramref name="output"/>, when given.
    /// </summary>
    public Process Start(string[] arguments, Action<string>? output = null)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", Name, .. arguments]) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output?.Invoke(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) output?.Invoke(line.Data); };
        if (!process.Start()) throw new InvalidOperationException($"ip netns exec {Name} {arguments[0]} did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (processes) processes.Add(process);
        return process;
    }

    /// <summary>Runs <paramref name="action"/> on a thread inside the namespace and returns its result.</summary>
    public T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(Path);
                result = action();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        })
        { Name = $"netns {Name}" };
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException($"in network namespace {Name}: {failure.Message}", failure);
        return result;
    }

    public void Run(Action action) => Run(() =>
    {
        action();
        return 0;
    });

    /// <summary>Moves the calling thread into the namespace at <paramref name="path"/> (a /var/run/netns bind mount).</summary>
    public static void Enter(string path)
    {
        using var handle = File.OpenHandle(path);
        if (setns(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
            throw new InvalidOperationException($"setns into network namespace {path} failed: errno {Marshal.GetLastPInvokeError()} (needs root)");
    }

    /// <summary>Writes a sysctl of the calling thread's namespace, e.g. <c>net/ipv6/conf/all/forwarding</c>.</summary>
    public static void WriteSysctl(string key, string value) => File.WriteAllText($"/proc/sys/{key}", value);

    /// <summary>
    /// Joins two namespaces with a veth pair: <paramref name="name"/> here and <paramref name="peerName"/> in
    /// <paramref name="peer"/>, both left down so that the test decides when each comes up.
    /// </summary>
    public void AddVeth(string name, NetworkNamespace peer, string peerName, string? mac = null, string? peerMac = null)
    {
        string[] arguments = ["link", "add", name];
        if (mac is not null) arguments = [.. arguments, "address", mac];
        arguments = [.. arguments, "type", "veth", "peer", "name", peerName];
        if (peerMac is not null) arguments = [.. arguments, "address", peerMac];
        Ip([.. arguments, "netns", peer.Name]);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        lock (processes)
        {
            foreach (var process in processes) Stop(process);
            processes.Clear();
        }

        Delete(Name);
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }

        process.Dispose();
    }

    // Deleting a namespace deletes its veth ends, and with them their peers; a process still inside would keep the
    // namespace itself alive (unnamed), so they are killed first.
    private static void Delete(string name)
    {
        if (!File.Exists($"/var/run/netns/{name}")) return;
        var pids = Tool.TryRun("ip", ["netns", "pids", name]) ?? "";
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(pid));
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // Gone already.
            }
        }

        Tool.TryRun("ip", ["netns", "delete", name]);
    }

    private static void RemoveLeftoversOnce()
    {
        lock (LeftoversOnce)
        {
            if (leftoversRemoved) return;
            leftoversRemoved = true;
            if (!Directory.Exists("/var/run/netns")) return;
            foreach (var path in Directory.GetFiles("/var/run/netns"))
            {
                var match = OwnName().Match(System.IO.Path.GetFileName(path));
                if (match.Success && !Directory.Exists($"/proc/{match.Groups[1].Value}")) Delete(System.IO.Path.GetFileName(path));
            }
        }
    }

    [GeneratedRegex(@"^mif-(\d+)-\d+-")]
    private static partial Regex OwnName();

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}
