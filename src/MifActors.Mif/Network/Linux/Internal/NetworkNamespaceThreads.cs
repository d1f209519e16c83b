using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MifActors.Mif.Network.Linux.Internal;

/// <summary>
/// Where the backend creates its sockets. A socket belongs to the network namespace of the thread that created it,
/// and <c>setns</c> moves only the calling thread; so with mifactors.mif.linux.network-namespace set, every socket
/// (netlink, ICMPv6, TCP, DnsClient's UDP and TCP) is created on threads that entered that namespace once, and the
/// rest of the process stays where it is. With no namespace set, work runs on the caller's thread as it is.
/// </summary>
internal sealed class NetworkNamespaceThreads : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private static readonly TimeSpan IdleThreadLifetime = TimeSpan.FromSeconds(30);

    private readonly string? _path;
    private readonly BlockingCollection<Action> _work = new();
    private int _idle;

    /// <param name="path">
    /// A network namespace file (<c>/var/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>); null for the process's own.
    /// </param>
    public NetworkNamespaceThreads(string? path)
    {
        if (path is not null && !File.Exists(path))
            throw new MifConfigurationException($"mifactors.mif.linux.network-namespace: there is no network namespace at {path}");
        _path = path;
    }

    /// <summary>True when work runs in another namespace than the process's.</summary>
    public bool Elsewhere => _path is not null;

    public string Description => _path ?? "the process's own network namespace";

    /// <summary>Runs <paramref name="action"/> in the namespace and waits for it.</summary>
    public T Run<T>(Func<T> action) => _path is null ? action() : RunAsync(action).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="action"/> in the namespace on a thread of its own; the caller does not wait.</summary>
    public Task<T> RunAsync<T>(Func<T> action)
    {
        if (_path is null) return Task.Run(action);
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_work)
        {
            // A thread blocked in a DNS query must not hold up the next one: take an idle thread or start another.
            if (_idle > 0) _idle--;
            else StartThread();
            _work.Add(() =>
            {
                try
                {
                    result.SetResult(action());
                }
                catch (Exception exception)
                {
                    result.SetException(exception);
                }
            });
        }

        return result.Task;
    }

    public void Dispose() => _work.CompleteAdding();

    private void StartThread()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle(_path!))
                {
                    if (setns(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                        throw new InvalidOperationException(
                            $"setns into the network namespace {_path} failed (errno {Marshal.GetLastPInvokeError()}); it needs CAP_SYS_ADMIN");
                }

                entered.SetResult();
            }
            catch (Exception exception)
            {
                entered.SetException(exception);
                return;
            }

            Serve();
        })
        {
            IsBackground = true,
            Name = $"netns {Path.GetFileName(_path)}",
        };
        thread.Start();
        entered.Task.GetAwaiter().GetResult();
    }

    // The submitter counted this thread busy when it queued work for it; it counts itself idle again after each item,
    // and leaves after a while with nothing queued, unless work was queued for it meanwhile.
    private void Serve()
    {
        try
        {
            while (true)
            {
                if (_work.TryTake(out var work, IdleThreadLifetime))
                {
                    work();
                    lock (_work) _idle++;
                    continue;
                }

                lock (_work)
                {
                    if (_work.Count == 0 && _idle > 0)
                    {
                        _idle--;
                        return;
                    }
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The backend was disposed while this thread waited.
        }
        catch (InvalidOperationException)
        {
            // CompleteAdding: the backend is being disposed.
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}
