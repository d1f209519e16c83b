using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using MifActors.Mif.Api;
using MifActors.Mif.Host;
using MifActors.Mif.Network.Simulated;

namespace MifActors.Benchmarks.Mif;

/// <summary>
/// MIF API announcements fanned out to 1,000 subscribers: an address appears and goes on a simulated interface, and
/// every subscriber of that PvD's addresses is told (network -> interface actor -> PvD actor -> host agent ->
/// subscriber actors -> applications). The baseline in the same run is Akka itself: one actor telling the same number
/// of messages straight to 1,000 actors, the floor of any fan-out on this machine at this moment.
/// </summary>
public sealed class AnnouncementFanOutBenchmark : IBenchmark
{
    private const int Subscribers = 1_000;
    private const string PvdId = "eth0/static";

    public string Name => "mif-announcements";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var changes = options.Quick ? 200 : 2_000;
        var rounds = options.Quick ? 2 : 3;
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");

        var best = 0.0;
        var bestBaseline = 0.0;
        for (var round = 0; round < rounds; round++)
        {
            using var system = Akka.Actor.ActorSystem.Create("bench", config);
            using var net = new SimulatedNetwork(system);
            var host = MifHost.Start(system, net);
            net.AddInterface("eth0");
            net.AddAddress("eth0", "192.0.2.1", 24);

            // The PvD is there once asking for its addresses gives one (an Error before).
            while (host.Ask<IFromMifApi>(new AnnounceAddresses(PvdId), TimeSpan.FromSeconds(10)).Result is not AddressAnnouncement)
            {
                Thread.Sleep(10);
            }

            var counter = new Counter();
            var applications = Enumerable.Range(0, Subscribers)
                .Select(i => system.ActorOf(Props.Create(() => new CountingApplication(counter)), $"app-{i}")).ToArray();
            // Each subscribes to the addresses of the PvD and is told the one that is there.
            counter.Expect(Subscribers);
            foreach (var application in applications)
            {
                host.Tell(new AnnounceAddresses(PvdId), application);
            }
            counter.Wait();

            counter.Expect((long)changes * Subscribers);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < changes; i++)
            {
                // Alternately a new address and its removal: one announcement per change, the interface stays small.
                var address = IPAddress.Parse($"192.0.2.{2 + i / 2 % 250}");
                if (i % 2 == 0)
                {
                    net.AddAddress("eth0", address, 24);
                }
                else
                {
                    net.RemoveAddress("eth0", address);
                }
            }
            counter.Wait();
            best = Math.Max(best, (double)changes * Subscribers / clock.Elapsed.TotalSeconds);

            // Baseline: the same number of deliveries, one actor to 1,000, in the same system.
            counter.Expect((long)changes * Subscribers);
            var announcement = new NoAddressAnnouncement(PvdId, IPAddress.Loopback);
            var fan = system.ActorOf(Props.Create(() => new FanOut(applications)));
            clock.Restart();
            for (var i = 0; i < changes; i++)
            {
                fan.Tell(announcement);
            }
            counter.Wait();
            bestBaseline = Math.Max(bestBaseline, (double)changes * Subscribers / clock.Elapsed.TotalSeconds);
            system.Terminate().Wait();
        }

        yield return new BenchResult("mif-announcements.1000-subscribers", best, "announcements/s");
        yield return new BenchResult("mif-announcements.1000-subscribers.changes", best / Subscribers, "changes/s");
        yield return new BenchResult("mif-announcements.baseline.akka-fan-out", bestBaseline, "messages/s");
        yield return new BenchResult("mif-announcements.share-of-baseline", best / bestBaseline, "ratio");
    }

    private sealed class Counter
    {
        private long _received;
        private long _target;
        private readonly ManualResetEventSlim _done = new();

        public void Expect(long count)
        {
            _done.Reset();
            Interlocked.Exchange(ref _received, 0);
            Interlocked.Exchange(ref _target, count);
        }

        public void Add()
        {
            if (Interlocked.Increment(ref _received) == Interlocked.Read(ref _target))
            {
                _done.Set();
            }
        }

        public void Wait()
        {
            if (!_done.Wait(TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"only {Interlocked.Read(ref _received)} of {Interlocked.Read(ref _target)} announcements arrived");
            }
        }
    }

    private sealed class CountingApplication : ReceiveActor
    {
        public CountingApplication(Counter counter)
        {
            Receive<AddressAnnouncement>(_ => counter.Add());
            Receive<NoAddressAnnouncement>(_ => counter.Add());
        }
    }

    private sealed class FanOut : ReceiveActor
    {
        public FanOut(IActorRef[] targets) => Receive<IFromMifApi>(m =>
        {
            foreach (var target in targets)
            {
                target.Tell(m);
            }
        });
    }
}
