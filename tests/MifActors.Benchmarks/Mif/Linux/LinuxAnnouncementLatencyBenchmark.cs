using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using MifActors.Mif;
using MifActors.Mif.Api;
using MifActors.Mif.Host;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Linux;
using MifActors.Mif.Network.Linux.Internal.Netlink;
using MifActors.Testing.Namespaces;

namespace MifActors.Benchmarks.Mif.Linux;

/// <summary>
/// How long a kernel address change takes to reach a MIF API subscriber on the Linux backend, in a network namespace
/// of its own (needs root): an address is added to a veth interface through one long-lived <c>ip -batch</c>, and
/// three clocks stop: a bare rtnetlink socket of the benchmark gets the kernel's RTM_NEWADDR (the floor: the kernel and
/// <c>ip</c>), the backend's own observer gets the interface's new state, and a subscriber of the PvD's addresses gets
/// its AddressAnnouncement through the host agent. p50 and p99 of each, over changes made one at a time. The target is
/// p50 at most 5 ms to the subscriber; the floor in the same run tells how much of it the machine itself takes.
/// </summary>
public sealed class LinuxAnnouncementLatencyBenchmark : IBenchmark
{
    private const string Interface = "bench0";
    private const string PvdId = "bench0/static";

    public string Name => "mif-linux-announcement-latency";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var samples = options.Quick ? 200 : 2_000;
        using var space = NetworkNamespace.Create("bench");
        // This kernel has no dummy interfaces: a veth pair within the namespace, both ends up, has carrier.
        space.IpBatch([
            $"link add {Interface} type veth peer name bench1", $"link set {Interface} up", "link set bench1 up",
            $"address add 2001:db8:bb::1/64 dev {Interface} nodad",
        ]);
        var config = ConfigurationFactory.ParseString($"""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            mifactors.mif.linux.network-namespace = "{space.Path}"
            """);
        using var system = ActorSystem.Create("bench", config);
        using var backend = LinuxNetworkBackend.Start(
            system.Scheduler, LinuxNetworkSettings.Get(system), MifSettings.Get(system).StaticInterfaces, Logging.GetLogger(system, "linux"));
        var host = MifHost.Start(system, backend);
        var arrivals = new Arrivals();
        var observer = system.ActorOf(Props.Create(() => new Recorder(arrivals, "backend")), "observer");
        var application = system.ActorOf(Props.Create(() => new Recorder(arrivals, "api")), "app");
        using var floor = space.Run(() => new RtnetlinkConnection(1 << 20, _ => { }));
        var listening = Task.Run(() => ListenAsync(floor, arrivals));

        backend.Watch(observer);
        // The host knows the interface and its PvD once asking for the PvD's addresses is answered with one.
        while (host.Ask<IFromMifApi>(new AnnounceAddresses(PvdId), TimeSpan.FromSeconds(10)).Result is not AddressAnnouncement) Thread.Sleep(10);
        host.Tell(new AnnounceAddresses(PvdId), application);
        arrivals.Wait(IPAddress.Parse("2001:db8:bb::1"), "api");

        using var ip = space.Start(["ip", "-batch", "-"], _ => { }, standardInput: true);
        ip.StandardInput.AutoFlush = true;
        var kernel = new List<double>();
        var observed = new List<double>();
        var announced = new List<double>();
        for (var i = 0; i < samples + samples / 10; i++)
        {
            var address = IPAddress.Parse($"2001:db8:bb::{0x100 + i % 4096:x}");
            var start = Stopwatch.GetTimestamp();
            ip.StandardInput.WriteLine($"address add {address}/64 dev {Interface} nodad");
            ip.StandardInput.Flush();
            var times = arrivals.Wait(address, "api", "backend", "kernel");
            if (i >= samples / 10)
            {
                // The first tenth warms up the JIT and the dispatchers.
                kernel.Add(Milliseconds(start, times["kernel"]));
                observed.Add(Milliseconds(start, times["backend"]));
                announced.Add(Milliseconds(start, times["api"]));
            }

            ip.StandardInput.WriteLine($"address del {address}/64 dev {Interface}");
            ip.StandardInput.Flush();
            arrivals.WaitGone(address);
        }

        ip.StandardInput.Close();
        foreach (var (name, values) in new[] { ("kernel-floor", kernel), ("backend-observer", observed), ("subscriber", announced) })
        {
            values.Sort();
            yield return new BenchResult($"{Name}/{name}/p50", Percentile(values, 0.50), "ms");
            yield return new BenchResult($"{Name}/{name}/p99", Percentile(values, 0.99), "ms");
        }

        backend.Unwatch(observer);
        floor.Dispose();
        listening.Wait(TimeSpan.FromSeconds(5));
    }

    private static double Milliseconds(long start, long end) => Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;

    private static double Percentile(List<double> sorted, double share) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * share))];

    private static async Task ListenAsync(RtnetlinkConnection floor, Arrivals arrivals)
    {
        var changes = new List<RtnetlinkChange>();
        try
        {
            while (true)
            {
                await floor.ReceiveEventsAsync(changes, CancellationToken.None);
                var now = Stopwatch.GetTimestamp();
                foreach (var change in changes.OfType<AddressChange>().Where(c => !c.Removed)) arrivals.Record(change.Address.Address, "kernel", now);
                changes.Clear();
            }
        }
        catch (Exception exception) when (exception is ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The benchmark is over.
        }
    }

    /// <summary>When each clock stopped for each address.</summary>
    private sealed class Arrivals
    {
        private readonly ConcurrentDictionary<(IPAddress, string), long> _times = new();
        private readonly ConcurrentDictionary<IPAddress, bool> _present = new();

        public void Record(IPAddress address, string clock, long timestamp) => _times.TryAdd((address, clock), timestamp);

        /// <summary>The addresses the backend reports now: those it no longer reports are gone.</summary>
        public void Present(HashSet<IPAddress> addresses)
        {
            foreach (var address in addresses) _present[address] = true;
            foreach (var gone in _present.Where(pair => pair.Value && !addresses.Contains(pair.Key)).Select(pair => pair.Key).ToArray()) _present[gone] = false;
        }

        public Dictionary<string, long> Wait(IPAddress address, params string[] clocks)
        {
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
            while (true)
            {
                if (clocks.All(clock => _times.ContainsKey((address, clock))))
                    return clocks.ToDictionary(clock => clock, clock => _times.TryRemove((address, clock), out var t) ? t : 0);
                if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{address} did not reach {string.Join(", ", clocks)} within 10 s");
                Thread.SpinWait(100);
            }
        }

        public void WaitGone(IPAddress address)
        {
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
            while (_present.TryGetValue(address, out var present) && present)
            {
                if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{address} was not reported removed within 10 s");
                Thread.SpinWait(100);
            }

            foreach (var clock in (string[])["api", "backend", "kernel"]) _times.TryRemove((address, clock), out _);
        }
    }

    /// <summary>Stops a clock when its address first appears: in the backend's interface state, or announced to a subscriber.</summary>
    private sealed class Recorder : ReceiveActor
    {
        public Recorder(Arrivals arrivals, string clock)
        {
            Receive<AddressAnnouncement>(announced => arrivals.Record(announced.Address, clock, Stopwatch.GetTimestamp()));
            Receive<InterfaceObserved>(observed =>
            {
                var now = Stopwatch.GetTimestamp();
                var addresses = observed.State.Addresses.Select(a => a.Address).ToHashSet();
                foreach (var address in addresses) arrivals.Record(address, clock, now);
                arrivals.Present(addresses);
            });
            ReceiveAny(_ => { });
        }
    }
}
