using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using DnsClient;
using MifActors.Mif.Api;
using MifActors.Mif.Host;
using MifActors.Mif.Network.Simulated;
using MifActors.Testing;

namespace MifActors.Benchmarks.Mif;

/// <summary>
/// DNS queries per second through one PvD's resolver against a local dnsmasq, side by side with two baselines in the
/// same run against the same dnsmasq: <c>dig -f</c> (one process, one query after another) and DnsClient called
/// directly (what the resolver actor adds is the difference). A translation asks A and AAAA at once, so it is two
/// queries; the resolver is measured with one translation at a time and with 16 outstanding.
/// </summary>
public sealed class DnsResolverBenchmark : IBenchmark
{
    private const string QueriedName = "www.bench.test";

    public string Name => "mif-dns";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var queries = options.Quick ? 2_000 : 20_000;
        using var dnsmasq = new DnsmasqServer("bench.test", logQueries: false, $"host-record={QueriedName},192.0.2.1,2001:db8::1");

        yield return new BenchResult("mif-dns.baseline.dig", Dig(dnsmasq.Endpoint, queries), "queries/s");
        yield return new BenchResult("mif-dns.baseline.dnsclient", DnsClientDirect(dnsmasq.Endpoint, queries), "queries/s");

        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        using var system = Akka.Actor.ActorSystem.Create("bench", config);
        using var net = new SimulatedNetwork(system);
        net.AddInterface("eth0");
        net.AdvertiseRouter("eth0", SimulatedRouter.At("fe80::1").WithPrefix("2001:db8:1::/64").WithDnsServers("2001:db8:1::53"));
        net.AddDnsServer("2001:db8:1::53", dnsmasq.Endpoint);
        var host = MifHost.Start(system, net);
        var pvd = "eth0/fe80::1";
        var client = system.ActorOf(Props.Create(() => new TranslatingApplication(host, pvd)));
        // Wait for the PvD, and warm up.
        client.Ask<double>(new Batch(200, 4), TimeSpan.FromSeconds(30)).Wait();

        foreach (var outstanding in new[] { 1, 16 })
        {
            var translationsPerSecond = client.Ask<double>(new Batch(queries / 2, outstanding), TimeSpan.FromMinutes(5)).Result;
            yield return new BenchResult($"mif-dns.resolver.{outstanding}-outstanding", translationsPerSecond * 2, "queries/s");
        }
        system.Terminate().Wait();
    }

    /// <summary>dig -f: one process asks every query of a batch file in turn.</summary>
    private static double Dig(IPEndPoint server, int queries)
    {
        var batch = Path.Combine(Path.GetTempPath(), $"mifactors-dig-{Environment.ProcessId}.txt");
        File.WriteAllLines(batch, Enumerable.Range(0, queries).Select(i =>
            $"@{server.Address} -p {server.Port} +tries=1 +time=2 +short {QueriedName} {(i % 2 == 0 ? "A" : "AAAA")}"));
        try
        {
            var start = new ProcessStartInfo("dig", $"-f {batch}") { RedirectStandardOutput = true, UseShellExecute = false };
            var clock = Stopwatch.StartNew();
            using var dig = Process.Start(start)!;
            var answers = 0;
            while (dig.StandardOutput.ReadLine() is { } line)
            {
                if (line.Length > 0 && !line.StartsWith(';'))
                {
                    answers++;
                }
            }
            dig.WaitForExit();
            var rate = queries / clock.Elapsed.TotalSeconds;
            return answers == queries ? rate : throw new InvalidOperationException($"dig got {answers} answers to {queries} queries");
        }
        finally
        {
            File.Delete(batch);
        }
    }

    /// <summary>DnsClient without actors: one query after another, as the resolver configures it.</summary>
    private static double DnsClientDirect(IPEndPoint server, int queries)
    {
        var settings = new MifActors.Mif.Dns.DnsSettings(TimeSpan.FromSeconds(2), 0, true, 1232, 8);
        var lookup = new LookupClient(settings.ToLookupClientOptions([server]));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < queries; i++)
        {
            lookup.QueryAsync(QueriedName, i % 2 == 0 ? QueryType.A : QueryType.AAAA).GetAwaiter().GetResult();
        }
        return queries / clock.Elapsed.TotalSeconds;
    }

    private sealed record Batch(int Translations, int Outstanding);

    /// <summary>Keeps a number of translations outstanding until enough have completed; answers with translations per second.</summary>
    private sealed class TranslatingApplication : ReceiveActor
    {
        private readonly IActorRef _host;
        private readonly string _pvd;
        private IActorRef _asker = ActorRefs.Nobody;
        private int _started;
        private int _completed;
        private int _wanted;
        private Stopwatch _clock = new();

        public TranslatingApplication(IActorRef host, string pvd)
        {
            _host = host;
            _pvd = pvd;
            Receive<Batch>(run =>
            {
                _asker = Sender;
                (_started, _completed, _wanted) = (0, 0, run.Translations);
                // The PvD may not be there yet on the first run: address announcements tell when it is.
                _host.Tell(new AnnounceProvisioningDomains("eth0"));
                Become(() => WaitingForPvd(run.Outstanding));
            });
        }

        private void WaitingForPvd(int outstanding)
        {
            Receive<ProvisioningDomainAnnouncement>(_ =>
            {
                _host.Tell(new StopAnnouncingProvisioningDomains("eth0"));
                _clock = Stopwatch.StartNew();
                for (var i = 0; i < outstanding; i++)
                {
                    Next();
                }
                Become(Translating);
            });
            Receive<global::MifActors.Mif.Api.Error>(_ => Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(10), Self, new Batch(_wanted, outstanding), _asker));
        }

        private void Translating()
        {
            Receive<NameTranslation>(_ => { });
            Receive<NameTranslationComplete>(_ => Completed());
            Receive<NoNameTranslation>(failed => throw new InvalidOperationException($"translation failed: {failed}"));
        }

        private void Next()
        {
            if (_started < _wanted)
            {
                _host.Tell(new TranslateName(_pvd, QueriedName, (++_started).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        private void Completed()
        {
            if (++_completed == _wanted)
            {
                _asker.Tell(_wanted / _clock.Elapsed.TotalSeconds);
                Become(() => Receive<Batch>(run =>
                {
                    _asker = Sender;
                    (_started, _completed, _wanted) = (0, 0, run.Translations);
                    _clock = Stopwatch.StartNew();
                    for (var i = 0; i < run.Outstanding; i++)
                    {
                        Next();
                    }
                    Become(Translating);
                }));
                return;
            }
            Next();
        }
    }
}
