using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// Two network namespaces joined by a veth pair, each end with one IPv6 address, created for one test and removed by
/// <see cref="Dispose"/>. Needs root (CI runs as root). Sockets are opened inside a namespace with
/// <see cref="InFirst{T}"/> / <see cref="InSecond{T}"/>: a socket stays in the namespace it was created in, so the
/// rest of the test uses it from any thread.
/// </summary>
internal sealed class NetworkNamespacePair : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private static int created;

    public NetworkNamespacePair()
    {
        var id = $"{Environment.ProcessId % 100000}-{Interlocked.Increment(ref created)}";
        First = $"pmip-a-{id}";
        Second = $"pmip-b-{id}";
        try
        {
            Ip("netns", "add", First);
            Ip("netns", "add", Second);
            Ip("-n", First, "link", "add", FirstInterface, "address", FirstMac, "type", "veth",
                "peer", "name", SecondInterface, "address", SecondMac, "netns", Second);
            // nodad and permanent neighbours: the first packet leaves at once, instead of waiting out duplicate
            // address detection or a neighbour solicitation sent before the link was up (retried only after 1 s).
            Ip("-n", First, "address", "add", $"{FirstAddress}/64", "dev", FirstInterface, "nodad");
            Ip("-n", Second, "address", "add", $"{SecondAddress}/64", "dev", SecondInterface, "nodad");
            Ip("-n", First, "neighbour", "add", SecondAddress.ToString(), "lladdr", SecondMac, "dev", FirstInterface, "nud", "permanent");
            Ip("-n", Second, "neighbour", "add", FirstAddress.ToString(), "lladdr", FirstMac, "dev", SecondInterface, "nud", "permanent");
            Ip("-n", First, "link", "set", FirstInterface, "up");
            Ip("-n", Second, "link", "set", SecondInterface, "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public const string FirstInterface = "veth-a";
    public const string SecondInterface = "veth-b";
    private const string FirstMac = "02:00:00:00:ab:01";
    private const string SecondMac = "02:00:00:00:ab:02";
    public static readonly IPAddress FirstAddress = IPAddress.Parse("2001:db8:ab::1");
    public static readonly IPAddress SecondAddress = IPAddress.Parse("2001:db8:ab::2");

    public string First { get; }

    public string Second { get; }

    public T InFirst<T>(Func<T> action) => Inside(First, action);

    public T InSecond<T>(Func<T> action) => Inside(Second, action);

    /// <summary>Runs a program inside a namespace, as <c>ip netns exec</c> does.</summary>
    public static Process Start(string @namespace, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", @namespace, .. arguments]) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"ip netns exec {@namespace} did not start");
    }

    public void Dispose()
    {
        // Deleting a namespace deletes the veth end inside it, and with it the peer.
        foreach (var name in new[] { First, Second })
        {
            if (File.Exists($"/var/run/netns/{name}")) Ip("netns", "delete", name);
        }
    }

    // setns moves only the calling thread, so the action runs on a thread of its own that ends with it.
    private static T Inside<T>(string name, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{name}");
                if (setns(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns into network namespace {name} failed: errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException($"in network namespace {name}: {failure.Message}", failure);
        return result;
    }

    private static void Ip(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ip did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"ip {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Trim()} (these tests need root and iproute2)");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}
