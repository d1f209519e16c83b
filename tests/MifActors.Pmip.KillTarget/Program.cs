using System.Net;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Actors.Pattern;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.State;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

// The process KillSpec-style tests kill -9: an LMA and two MAGs over one SQLite journal, with the MN attached twice
// and the www flow handed over to Wi-Fi while every FHRP is lost, so the LMA is mid-handover. It prints READY once
// the MAG's FFE is durable and the LMA's FHRQ is pending, then waits to be killed. The test process recovers from
// the same file. Addresses and keys must match tests/MifActors.Pmip.Tests/Support/PmipLab.cs.
var file = args[0];
if (args is [_, "snapshots"])
{
    await MifActors.Pmip.KillTarget.SnapshotTarget.RunAsync(file);
    return;
}

var lmaAddress = IPAddress.Parse("2001:db8:b::1");
var cellularAddress = IPAddress.Parse("2001:db8:c::1");
var wifiAddress = IPAddress.Parse("2001:db8:a::1");
var wifiKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray();
var cellularKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 2)).ToArray();
var mn = MobileNodeIdentifier.Nai("mn1@example.net");
var www = new FlowTuple(FlowAddress.Host(IPAddress.Parse("2001:db8:ffff::80")), FlowAddress.Host(IPAddress.Parse("2001:db8:1:1::100")),
    443, 50000, PhbId.Default, PhbId.Default);

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["mifactors:pmip:lma:application-classes:www:ports"] = "80,443",
    ["mifactors:pmip:lma:application-classes:www:access-technologies"] = "ieee80211,eutran",
    ["mifactors:persistence:journal:sqlite:connection-string"] = $"Data Source={file}",
    ["mifactors:persistence:snapshot-store:sqlite:connection-string"] = $"Data Source={file}",
}).Build();
var system = ActorSystem.Create("kill-target", new ActorSystemOptions { Configuration = configuration });
var network = new InMemoryMobilityNetwork();
var store = new JournalMobilityStateStore(system);
var lmaAssociations = new MobilitySecurityAssociations();
lmaAssociations.Add(wifiAddress, 0x100, wifiKey);
lmaAssociations.Add(cellularAddress, 0x200, cellularKey);
var lma = Lma.Start(system, network.Attach(lmaAddress), lmaAssociations, store);
var cellular = Mag.Start(system, network.Attach(cellularAddress), Associations(cellularKey, 0x200), store, lmaAddress, AccessTechnologyType.EUtran,
    name: "mag-cellular");
var wifi = Mag.Start(system, network.Attach(wifiAddress), Associations(wifiKey, 0x100), store, lmaAddress, AccessTechnologyType.Ieee80211,
    name: "mag-wifi");

cellular.Ref.Tell(new MobileNodeAttached(mn, new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:1::"), 64)));
wifi.Ref.Tell(new MobileNodeAttached(mn, new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:2::"), 64)));
while ((await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(mn))).Bindings.Count < 2) await Task.Delay(10);
network.Drop(d => d.Message is FlowHandoverReply, count: int.MaxValue);
await lma.Ref.Ask<FlowDecision>(new FlowStarted(mn, www, Protocol: 6));
while ((await wifi.Ref.Ask<MagMobileNodeState>(new GetMagMobileNode(mn))).FlowForwardingEntries.Count == 0) await Task.Delay(10);
while ((await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(mn))).PendingRequests == 0) await Task.Delay(10);
Console.WriteLine("READY");
await Task.Delay(Timeout.Infinite);

MobilitySecurityAssociations Associations(byte[] key, uint spi)
{
    var associations = new MobilitySecurityAssociations();
    associations.Add(lmaAddress, spi, key);
    return associations;
}
