using System.Diagnostics;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using MifActors.Pmip;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;
using MifActors.Testing;
using Npgsql;

namespace MifActors.Benchmarks.Pmip;

/// <summary>
/// Flow handover end to end (issue 5, "Performance"): an LMA and two MAGs (cellular, Wi-Fi), each in its own Akka.NET
/// actor system with its own UDP socket on loopback and its own Akka.Persistence.Sql journal (the plugin's defaults,
/// as hocon/pmip.conf has them), many MNs attached through both. A
/// <see cref="FlowStarted"/> for a www flow on the cellular address asks for Wi-Fi, so each trigger is a full
/// handover: FHRQ durable at the LMA, FHRQ handled and durable at the Wi-Fi MAG, FHRP, FFE durable at the LMA. The
/// latency runs from the trigger to <see cref="FlowForwardingInstalled"/>, which the LMA publishes once
/// <see cref="Lma.Route"/> uses the FFE. Measured with one handover at a time (latency alone) and with many in
/// parallel (throughput and latency under load). Akka's in-memory journal in the same run is the baseline: what the
/// sockets and actors cost with nothing to make durable.
/// </summary>
public sealed class HandoverBenchmark : IBenchmark
{
    private static readonly IPAddress LmaAddress = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress CellularAddress = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress WifiAddress = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress Correspondent = IPAddress.Parse("2001:db8:ffff::80");

    public string Name => "pmip-handover";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var sizes = options.Quick ? new Sizes(MobileNodes: 500, Rounds: 2, Sequential: 50, Window: 128) : new Sizes(5_000, 4, 500, 256);
        foreach (var result in RunStore("memory", _ => ConfigurationFactory.ParseString(InMemoryJournal), sizes)) yield return result;

        var folder = Path.Combine(Path.GetTempPath(), "mifactors-handover-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var result in RunStore("sqlite", node => PmipConfig.Persistence("SQLite.MS", "Data Source=" + Path.Combine(folder, node + ".db")), sizes))
                yield return result;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        using var server = new PostgreSqlServer();
        foreach (var result in RunStore("postgresql", node => PmipConfig.Persistence("PostgreSQL.15", Database(server, node)), sizes)) yield return result;
    }

    /// <summary>Akka's own in-memory journal and snapshot store, and a read journal over it for the node's start.</summary>
    private const string InMemoryJournal = """
        mifactors.pmip.persistence {
          journal-plugin = "akka.persistence.journal.inmem"
          snapshot-plugin = "akka.persistence.snapshot-store.inmem"
          query-plugin = "akka.persistence.query.journal.memory"
        }
        akka.persistence.query.journal.memory {
          class = "MifActors.Testing.MemoryReadJournalProvider, MifActors.Testing"
          write-plugin = "akka.persistence.journal.inmem"
        }
        """;

    private static IEnumerable<BenchResult> RunStore(string store, Func<string, Config> journal, Sizes sizes)
    {
        var prefix = $"pmip-handover/{store}/";
        // Each handover makes three events durable one after another (FHRQ issued, FHRQ handled at the MAG, FFE
        // created): with one handover at a time, three disk syncs are the floor of its latency.
        if (store == "sqlite") yield return new BenchResult(prefix + "fsync-baseline", FsyncRate(300), "fsync/s");
        var lab = HandoverLab.Start(store, journal);
        try
        {
            lab.AttachAll(sizes.MobileNodes);
            var rounds = new Queue<int>(Enumerable.Range(0, sizes.Rounds + 1));

            // Round 0 warms up: every MN actor on all three nodes has been through one handover before measuring.
            lab.Handovers(sizes.MobileNodes, rounds.Dequeue(), sizes.Window);

            var alone = lab.Handovers(sizes.Sequential, rounds.Dequeue(), window: 1);
            yield return new BenchResult(prefix + "one-at-a-time/p50", alone.Percentile(0.50), "ms");
            yield return new BenchResult(prefix + "one-at-a-time/p99", alone.Percentile(0.99), "ms");

            var parallel = new Measurement();
            while (rounds.TryDequeue(out var round)) parallel.Add(lab.Handovers(sizes.MobileNodes, round, sizes.Window));
            var window = $"parallel-{sizes.Window}/";
            yield return new BenchResult(prefix + window + "rate", parallel.Rate, "handovers/s");
            yield return new BenchResult(prefix + window + "p50", parallel.Percentile(0.50), "ms");
            yield return new BenchResult(prefix + window + "p99", parallel.Percentile(0.99), "ms");
            yield return new BenchResult(prefix + window + "cpu", parallel.CpuPerHandover, "us/handover");
            yield return new BenchResult(prefix + window + "cpu-kernel", parallel.KernelCpuPerHandover, "us/handover");
            yield return new BenchResult(prefix + window + "allocated", parallel.AllocatedPerHandover, "bytes/handover");
            // Hops, counted rather than timed, so they compare across loaded runs: thread-pool work items (mailbox
            // runs, continuations) and context switches of all the process's threads, per handover.
            yield return new BenchResult(prefix + window + "pool-work-items", parallel.WorkItemsPerHandover, "items/handover");
            // Threads that exit during the run take their counts with them; a negative total says the number is void.
            if (parallel.ContextSwitchesPerHandover is { } switches and >= 0) yield return new BenchResult(prefix + window + "context-switches", switches, "switches/handover");
            yield return new BenchResult(prefix + window + "failed", parallel.Failed, "handovers");
            // Drops cost retransmissions (500 ms for an FHRQ): they show in p99.
            if (lab.KernelDrops() is { } drops) yield return new BenchResult(prefix + "kernel-drops", drops, "datagrams");
        }
        finally
        {
            lab.Dispose();
        }
    }

    /// <summary>
    /// How many small writes followed by fsync the disk takes per second, measured right before SQLite's numbers: one
    /// handover at a time makes three events durable one after another, so three syncs are the floor of its latency.
    /// </summary>
    private static double FsyncRate(int count)
    {
        var file = Path.Combine(Path.GetTempPath(), "mifactors-fsync-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            var block = new byte[512];
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                stream.Write(block);
                stream.Flush(flushToDisk: true);
            }

            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A database per node on the one server, as separate nodes would have: each journal has its own index.</summary>
    private static string Database(PostgreSqlServer server, string node)
    {
        var name = node.Replace('-', '_');
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        // Three nodes, each a journal and a snapshot store with a pool of their own, share one server: Npgsql's default
        // of 100 connections per pool would let a burst of MN actors (a snapshot load each as they start) run the
        // server out of its 100 connections.
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, MaxPoolSize = 15 }.ConnectionString;
    }

    private sealed record Sizes(int MobileNodes, int Rounds, int Sequential, int Window);

    /// <summary>What the whole process used so far: CPU, allocations, thread-pool work items, context switches (Linux).</summary>
    private sealed record Counters(TimeSpan Cpu, TimeSpan KernelCpu, long Allocated, long WorkItems, long? ContextSwitches)
    {
        public static Counters Now()
        {
            using var self = Process.GetCurrentProcess();
            return new(self.TotalProcessorTime, self.PrivilegedProcessorTime, GC.GetTotalAllocatedBytes(), ThreadPool.CompletedWorkItemCount, SumContextSwitches());
        }

        public static Counters operator -(Counters a, Counters b) =>
            new(a.Cpu - b.Cpu, a.KernelCpu - b.KernelCpu, a.Allocated - b.Allocated, a.WorkItems - b.WorkItems, a.ContextSwitches - b.ContextSwitches);

        /// <summary>Voluntary and involuntary switches summed over the threads alive now; null where /proc is missing.</summary>
        private static long? SumContextSwitches()
        {
            if (!Directory.Exists("/proc/self/task")) return null;
            long total = 0;
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (!line.Contains("ctxt_switches:", StringComparison.Ordinal)) continue;
                        total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
                catch (IOException)
                {
                    // The thread exited while we read it.
                }
            }

            return total;
        }
    }

    /// <summary>The latencies of one batch of handovers, and the wall and CPU time the batch took.</summary>
    private sealed class Measurement
    {
        private readonly List<double> latencies = [];
        private TimeSpan elapsed;
        private TimeSpan cpu;
        private TimeSpan kernelCpu;
        private long allocated;
        private long workItems;
        private long? contextSwitches;

        public int Failed { get; private set; }

        public double Rate => latencies.Count / elapsed.TotalSeconds;

        public double CpuPerHandover => cpu.TotalMicroseconds / latencies.Count;

        /// <summary>The part of <see cref="CpuPerHandover"/> spent in the kernel: socket calls, thread wake-ups, disk syncs.</summary>
        public double KernelCpuPerHandover => kernelCpu.TotalMicroseconds / latencies.Count;

        /// <summary>All three nodes together, and the driver: they share the process.</summary>
        public double AllocatedPerHandover => (double)allocated / latencies.Count;

        public double WorkItemsPerHandover => (double)workItems / latencies.Count;

        public double? ContextSwitchesPerHandover => contextSwitches / (double)latencies.Count;

        public void Add(Measurement other)
        {
            latencies.AddRange(other.latencies);
            elapsed += other.elapsed;
            cpu += other.cpu;
            kernelCpu += other.kernelCpu;
            allocated += other.allocated;
            workItems += other.workItems;
            contextSwitches = contextSwitches + other.contextSwitches ?? other.contextSwitches;
            Failed += other.Failed;
        }

        public static Measurement Of(double[] latencies, int failed, TimeSpan elapsed, Counters used)
        {
            var measurement = new Measurement
            {
                elapsed = elapsed, cpu = used.Cpu, kernelCpu = used.KernelCpu, allocated = used.Allocated, workItems = used.WorkItems, contextSwitches = used.ContextSwitches, Failed = failed,
            };
            measurement.latencies.AddRange(latencies.Where(l => l >= 0));
            return measurement;
        }

        public double Percentile(double p)
        {
            if (latencies.Count == 0) return double.NaN;
            var sorted = latencies.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        }
    }

    /// <summary>The three nodes, each in its own actor system, and the MNs attached through both MAGs.</summary>
    private sealed class HandoverLab : IDisposable
    {
        private static readonly byte[] CellularKey = Key(2);
        private static readonly byte[] WifiKey = Key(1);
        private readonly List<(string Node, ActorSystem System)> systems = [];
        private readonly List<UdpMobilityTransport> sockets = [];
        private readonly ActorSystem lmaSystem;
        private readonly Lma lma;
        private readonly Mag cellular;
        private readonly Mag wifi;
        private MobileNodeIdentifier[] mobileNodes = [];

        private HandoverLab(string store, Func<string, Config> journal)
        {
            lmaSystem = System("lma", store, journal);
            var cellularSystem = System("mag-cellular", store, journal);
            var wifiSystem = System("mag-wifi", store, journal);
            var lmaSocket = Socket(lmaSystem, LmaAddress);
            var cellularSocket = Socket(cellularSystem, CellularAddress);
            var wifiSocket = Socket(wifiSystem, WifiAddress);
            lmaSocket.AddPeer(CellularAddress, cellularSocket.LocalEndPoint.Port);
            lmaSocket.AddPeer(WifiAddress, wifiSocket.LocalEndPoint.Port);
            cellularSocket.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);
            wifiSocket.AddPeer(LmaAddress, lmaSocket.LocalEndPoint.Port);

            var lmaAssociations = new MobilitySecurityAssociations();
            lmaAssociations.Add(CellularAddress, 0x200, CellularKey);
            lmaAssociations.Add(WifiAddress, 0x100, WifiKey);
            lma = Lma.Start(lmaSystem, lmaSocket, lmaAssociations);
            cellular = Mag.Start(cellularSystem, cellularSocket, MagAssociations(CellularKey, 0x200), LmaAddress,
                AccessTechnologyType.EUtran, name: "mag-cellular");
            wifi = Mag.Start(wifiSystem, wifiSocket, MagAssociations(WifiKey, 0x100), LmaAddress,
                AccessTechnologyType.Ieee80211, name: "mag-wifi");
        }

        public MobilityCounterSnapshot LmaCounters => lma.Counters;

        /// <summary>Datagrams the kernel dropped at the three sockets (receive buffer full), from /proc/net/udp; null elsewhere.</summary>
        public long? KernelDrops()
        {
            if (!File.Exists("/proc/net/udp")) return null;
            var ports = sockets.Select(s => s.LocalEndPoint.Port.ToString("X4", CultureInfo.InvariantCulture)).ToHashSet();
            long drops = 0;
            foreach (var line in File.ReadLines("/proc/net/udp").Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 12 && ports.Contains(fields[1][(fields[1].IndexOf(':') + 1)..]))
                    drops += long.Parse(fields[^1], CultureInfo.InvariantCulture);
            }

            return drops;
        }

        public static HandoverLab Start(string store, Func<string, Config> journal) => new(store, journal);

        /// <summary>Attaches MNs 0..count-1 through both MAGs, a slice at a time, and waits until the LMA routes to both BCEs of each.</summary>
        public void AttachAll(int count)
        {
            mobileNodes = Enumerable.Range(0, count).Select(i => MobileNodeIdentifier.Nai($"mn{i}@bench.example.net")).ToArray();
            const int slice = 250;
            for (var from = 0; from < count; from += slice)
            {
                var to = Math.Min(count, from + slice);
                for (var i = from; i < to; i++)
                {
                    cellular.Ref.Tell(new MobileNodeAttached(mobileNodes[i], Prefix(Access.Cellular, i)));
                    wifi.Ref.Tell(new MobileNodeAttached(mobileNodes[i], Prefix(Access.Wifi, i)));
                }

                var deadline = Stopwatch.StartNew();
                for (var i = from; i < to; i++)
                {
                    while (lma.Route(Flow(Access.Cellular, i, 0)).Address?.Equals(CellularAddress) != true
                           || lma.Route(Flow(Access.Wifi, i, 0)).Address?.Equals(WifiAddress) != true)
                    {
                        if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"MN {i} has no BCE at the LMA after 60 s: {lma.Counters}");
                        Thread.Sleep(5);
                    }
                }
            }
        }

        /// <summary>
        /// Hands the www flow numbered <paramref name="round"/> of MNs 0..count-1 over to Wi-Fi, with at most
        /// <paramref name="window"/> handovers in flight.
        /// </summary>
        public Measurement Handovers(int count, int round, int window)
        {
            var flows = Enumerable.Range(0, count).Select(i => Flow(Access.Cellular, i, round)).ToArray();
            var done = new TaskCompletionSource<Measurement>(TaskCreationOptions.RunContinuationsAsynchronously);
            var driver = lmaSystem.ActorOf(Props.Create(() => new HandoverDriver(lma.Ref, mobileNodes, flows, window, done)));
            lmaSystem.EventStream.Subscribe(driver, typeof(FlowForwardingInstalled));
            lmaSystem.EventStream.Subscribe(driver, typeof(FlowHandoverFailureRecorded));
            try
            {
                driver.Tell(HandoverDriver.Go.Instance);
                if (!done.Task.Wait(TimeSpan.FromMinutes(5))) throw new TimeoutException($"handovers of round {round} did not finish in 5 minutes: {lma.Counters}");
                return done.Task.Result;
            }
            finally
            {
                lmaSystem.EventStream.Unsubscribe(driver);
                lmaSystem.Stop(driver);
            }
        }

        public void Dispose()
        {
            // The systems dispose their sockets as they terminate.
            foreach (var (_, system) in systems) system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }

        private ActorSystem System(string node, string store, Func<string, Config> journal)
        {
            var settings = ConfigurationFactory.ParseString("""
                # Akka logs to standard output, where the results go: errors only.
                akka.loglevel = ERROR
                mifactors.pmip {
                  lma.application-classes.www { ports = [80, 443], access-technologies = [ieee80211, eutran] }
                  # Every FFE of the run stays: the Wi-Fi MAG admits them all.
                  mag.ffe-capacity = 100000000
                  ffe-renew-before = 0s
                  # Attaching thousands of MNs queues PBUs for longer than the 300 ms default window; setup only.
                  replay-window = 30s
                }
                """);
            var system = ActorSystem.Create($"{node}-{store}", settings.WithFallback(journal(node)));
            systems.Add((node, system));
            return system;
        }

        private UdpMobilityTransport Socket(ActorSystem system, IPAddress address)
        {
            var socket = new UdpMobilityTransport(new IPEndPoint(address, 0), receiveBuffer: PmipSettings.Get(system).UdpReceiveBuffer);
            sockets.Add(socket);
            return socket;
        }

        private static MobilitySecurityAssociations MagAssociations(byte[] key, uint spi)
        {
            var associations = new MobilitySecurityAssociations();
            associations.Add(LmaAddress, spi, key);
            return associations;
        }

        private static byte[] Key(byte seed) => Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + seed)).ToArray();

        private enum Access : byte
        {
            Cellular = 0xc,
            Wifi = 0xa,
        }

        /// <summary>2001:db8:&lt;access&gt;&lt;mn&gt;::/64, unique per MN and access.</summary>
        private static HomeNetworkPrefix Prefix(Access access, int mobileNode)
        {
            var bytes = new byte[16];
            bytes[0] = 0x20;
            bytes[1] = 0x01;
            bytes[2] = 0x0d;
            bytes[3] = 0xb8;
            bytes[4] = (byte)access;
            bytes[5] = (byte)(mobileNode >> 16);
            bytes[6] = (byte)(mobileNode >> 8);
            bytes[7] = (byte)mobileNode;
            return new HomeNetworkPrefix(new IPAddress(bytes), 64);
        }

        /// <summary>A www download (source port 443) to the MN's address on <paramref name="access"/>; the round picks the MN's port.</summary>
        private static FlowTuple Flow(Access access, int mobileNode, int round)
        {
            var bytes = Prefix(access, mobileNode).Prefix.GetAddressBytes();
            bytes[15] = 0x64;
            return new FlowTuple(FlowAddress.Host(Correspondent), FlowAddress.Host(new IPAddress(bytes)), 443, (ushort)(40000 + round),
                PhbId.Default, PhbId.Default);
        }
    }

    /// <summary>
    /// Sends the triggers, at most <c>window</c> in flight, and takes the time of each FFE as the LMA announces it. Runs
    /// in the LMA's system, so the end of a handover is seen one mailbox hop after <see cref="Lma.Route"/> has it.
    /// </summary>
    private sealed class HandoverDriver : ReceiveActor
    {
        private readonly IActorRef lma;
        private readonly MobileNodeIdentifier[] mobileNodes;
        private readonly FlowTuple[] flows;
        private readonly int window;
        private readonly TaskCompletionSource<Measurement> done;
        private readonly Dictionary<FlowTuple, int> index = [];
        private readonly long[] started;
        private readonly double[] latencies;
        private int next;
        private int finished;
        private int failed;
        private long firstStart;
        private Counters atStart = null!;

        public HandoverDriver(IActorRef lma, MobileNodeIdentifier[] mobileNodes, FlowTuple[] flows, int window, TaskCompletionSource<Measurement> done)
        {
            this.lma = lma;
            this.mobileNodes = mobileNodes;
            this.flows = flows;
            this.window = window;
            this.done = done;
            started = new long[flows.Length];
            latencies = new double[flows.Length];
            Array.Fill(latencies, -1);
            for (var i = 0; i < flows.Length; i++) index[flows[i]] = i;
            Receive<Go>(_ =>
            {
                atStart = Counters.Now();
                firstStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < window; i++) Trigger();
            });
            Receive<FlowForwardingInstalled>(m => Finished(m.Entry.Flow, success: true));
            Receive<FlowHandoverFailureRecorded>(m => Finished(m.Failure.Flow, success: false));
            Receive<FlowDecision>(d =>
            {
                if (d.Kind != FlowDecisionKind.HandoverRequested) Finished(d.Flow, success: false);
            });
        }

        private void Trigger()
        {
            if (next >= flows.Length) return;
            var i = next++;
            started[i] = Stopwatch.GetTimestamp();
            lma.Tell(new FlowStarted(mobileNodes[i], flows[i], Protocol: 6), Self);
        }

        private void Finished(FlowTuple flow, bool success)
        {
            if (!index.TryGetValue(flow, out var i) || latencies[i] >= 0 || started[i] == 0) return;
            latencies[i] = success ? Stopwatch.GetElapsedTime(started[i]).TotalMilliseconds : double.MaxValue;
            if (!success) failed++;
            finished++;
            if (finished == flows.Length)
            {
                var elapsed = Stopwatch.GetElapsedTime(firstStart);
                done.TrySetResult(Measurement.Of([.. latencies.Where(l => l != double.MaxValue)], failed, elapsed, Counters.Now() - atStart));
                return;
            }

            Trigger();
        }

        public sealed record Go
        {
            public static Go Instance { get; } = new();
        }
    }
}
