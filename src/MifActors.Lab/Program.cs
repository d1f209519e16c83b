using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

// The main job, for now: the example of draft-koodli-flow-handover-00 on the in-memory network, on Akka.NET. An MN is
// attached through a Wi-Fi MAG and an LTE MAG; "www" (TCP 80/443) is handed over from LTE to Wi-Fi while "voip"
// stays on LTE. Every BCE, BULE and FFE is an event in ./mifactors.db (SQLite, created on first run): run it again and
// the LMA brings back the MNs of the earlier runs before this one starts. A later issue makes the full lab.
var lmaAddress = IPAddress.Parse("2001:db8:b::1");
var lteAddress = IPAddress.Parse("2001:db8:c::1");
var wifiAddress = IPAddress.Parse("2001:db8:a::1");
byte[] lteKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 2))];
byte[] wifiKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1))];

// The policy of the draft's example; everything else is hocon/pmip.conf's defaults (embedded in MifActors.Pmip).
var config = ConfigurationFactory.ParseString("""
    akka.loglevel = WARNING
    mifactors.pmip.lma.application-classes {
      www { ports = [80, 443], protocol = tcp, access-technologies = [ieee80211, eutran] }
      voip { ports = [5060], protocol = udp, access-technologies = [eutran, ieee80211] }
    }
    """);
using var system = ActorSystem.Create("lab", config);
var clock = Stopwatch.StartNew();
void Say(string what) => Console.WriteLine($"{clock.Elapsed.TotalMilliseconds,8:0.0} ms  {what}");

var network = new InMemoryMobilityNetwork();
var lmaKeys = new MobilitySecurityAssociations();
lmaKeys.Add(lteAddress, 0x200, lteKey);
lmaKeys.Add(wifiAddress, 0x100, wifiKey);
var lma = Lma.Start(system, network.Attach(lmaAddress), lmaKeys);
var lte = Mag.Start(system, network.Attach(lteAddress), Keys(lteKey, 0x200), lmaAddress, AccessTechnologyType.EUtran, name: "mag-lte");
var wifi = Mag.Start(system, network.Attach(wifiAddress), Keys(wifiKey, 0x100), lmaAddress, AccessTechnologyType.Ieee80211, name: "mag-wifi");
var earlier = await EarlierRuns();
Say($"LMA, LTE MAG and Wi-Fi MAG up; the journal (./mifactors.db) holds {earlier} mobile nodes of earlier runs, recovered by the LMA");

// A fresh MN per run, so each run shows the whole story and the journal keeps the ones before.
var run = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
var mn = MobileNodeIdentifier.Nai($"mn-{run}@lab.example.net");
var ltePrefix = new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:1::"), 64);
var wifiPrefix = new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:2::"), 64);
var server = FlowAddress.Host(IPAddress.Parse("2001:db8:ffff::80"));
var onLte = FlowAddress.Host(IPAddress.Parse("2001:db8:1:1::100"));
var www = new FlowTuple(server, onLte, 443, 50000, PhbId.Default, PhbId.Default);
var voip = new FlowTuple(server, onLte, 5060, 5060, PhbId.ExpeditedForwarding, PhbId.ExpeditedForwarding);

lte.Ref.Tell(new MobileNodeAttached(mn, ltePrefix));
wifi.Ref.Tell(new MobileNodeAttached(mn, wifiPrefix));
Say($"{mn.Text} attaches through LTE ({ltePrefix}) and Wi-Fi ({wifiPrefix}): each MAG sends a PBU");
var state = await Until(s => s.Bindings.Count == 2);
foreach (var bce in state.Bindings.OrderBy(b => b.AccessTechnology))
    Say($"LMA: BCE through {bce.Mag} ({bce.AccessTechnology}, {bce.Prefix}) durable; PBA sent");

var installed = new TaskCompletionSource<FlowForwardingInstalled>();
var watcher = system.ActorOf(Props.Create(() => new Forward<FlowForwardingInstalled>(installed)));
system.EventStream.Subscribe(watcher, typeof(FlowForwardingInstalled));

var decision = await lma.Ref.Ask<FlowDecision>(new FlowStarted(mn, voip, Protocol: 17));
Say($"voip (UDP 5060) starts on LTE: {decision.Kind} on {decision.Target}");
decision = await lma.Ref.Ask<FlowDecision>(new FlowStarted(mn, www, Protocol: 6));
Say($"www (TCP 443) starts on LTE: policy prefers Wi-Fi, {decision.Kind}: FHRQ to {decision.Target}");
var ffe = (await installed.Task.WaitAsync(TimeSpan.FromSeconds(30))).Entry;
Say($"Wi-Fi MAG: FFE durable, FHRP status 0; LMA: FFE for www via {ffe.Mag} durable, lifetime {ffe.Lifetime} s");

Console.WriteLine();
Console.WriteLine("Routes at the LMA now:");
Console.WriteLine($"  www   {Describe(www)}  ->  {lma.Route(www)} (Wi-Fi MAG)");
Console.WriteLine($"  voip  {Describe(voip)}  ->  {lma.Route(voip)} (LTE MAG)");
var counters = lma.Counters;
Console.WriteLine($"Signalling: {network.Sent.Count} datagrams; the LMA accepted {counters.Accepted} of {counters.Received} and dropped {counters.Errors}");
await system.Terminate();

static string Describe(FlowTuple flow) =>
    $"[{flow.Source.ToIPAddress()}]:{flow.SourcePort} -> [{flow.Destination.ToIPAddress()}]:{flow.DestinationPort}";

MobilitySecurityAssociations Keys(byte[] key, uint spi)
{
    var keys = new MobilitySecurityAssociations();
    keys.Add(lmaAddress, spi, key);
    return keys;
}

async Task<LmaMobileNodeState> Until(Func<LmaMobileNodeState, bool> done)
{
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (true)
    {
        var current = await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(mn), TimeSpan.FromSeconds(30));
        if (done(current)) return current;
        if (DateTime.UtcNow > deadline) throw new TimeoutException($"the LMA did not get there in 30 s: {current}");
        await Task.Delay(5);
    }
}

async Task<int> EarlierRuns()
{
    var journal = PersistenceQuery.Get(system).ReadJournalFor<ICurrentPersistenceIdsQuery>(lma.Settings.QueryPlugin);
    using var materializer = ActorMaterializer.Create(system);
    var ids = await journal.CurrentPersistenceIds().Where(id => id.StartsWith("lma/mn/", StringComparison.Ordinal)).RunWith(Sink.Seq<string>(), materializer);
    return ids.Count;
}

/// <summary>Completes a task with the first <typeparamref name="T"/> it receives.</summary>
internal sealed class Forward<T> : ReceiveActor
{
    public Forward(TaskCompletionSource<T> first) => Receive<T>(m => first.TrySetResult(m));
}
