using System.Net;
using Akka.Actor;
using Akka.Configuration;
using MifActors.Pmip;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

// The process the kill -9 tests kill: an LMA and two MAGs in one actor system on an in-memory network, their MN
// state in a real journal (args: linq2db provider, connection string, mode). Addresses and keys must match
// tests/MifActors.Pmip.Tests/Support/PmipLab.cs.
//   handover: one MN attached twice, www handed over to Wi-Fi while every FHRP is lost, so the LMA is mid-handover;
//             prints READY once the MAG's FFE is durable and the LMA's FHRQ is pending, then waits to be killed.
//   churn:    attaches MN after MN and hands each one's www over; prints "BCE <i>" once the LMA routes MN i by its
//             binding and "FFE <i>" once it routes www to Wi-Fi, both only after the event is durable, until killed.
var (provider, connection, mode) = (args[0], args[1], args[2]);
var lmaAddress = IPAddress.Parse("2001:db8:b::1");
var cellularAddress = IPAddress.Parse("2001:db8:c::1");
var wifiAddress = IPAddress.Parse("2001:db8:a::1");
var wifiKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray();
var cellularKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 2)).ToArray();

// Akka's log goes to standard output too; the test reads only the lines below, and errors are all it needs to see.
var config = ConfigurationFactory.ParseString("""
        akka.loglevel = ERROR
        mifactors.pmip {
          ffe-renew-before = 0s
          lma.application-classes.www { ports = [80, 443], access-technologies = [ieee80211, eutran] }
        }
        """).WithFallback(PmipConfig.Persistence(provider, connection));
using var system = ActorSystem.Create("kill-target", config);
var network = new InMemoryMobilityNetwork();
var lmaAssociations = new MobilitySecurityAssociations();
lmaAssociations.Add(wifiAddress, 0x100, wifiKey);
lmaAssociations.Add(cellularAddress, 0x200, cellularKey);
var lma = Lma.Start(system, network.Attach(lmaAddress), lmaAssociations);
var cellular = Mag.Start(system, network.Attach(cellularAddress), Associations(cellularKey, 0x200), lmaAddress, AccessTechnologyType.EUtran,
    name: "mag-cellular");
var wifi = Mag.Start(system, network.Attach(wifiAddress), Associations(wifiKey, 0x100), lmaAddress, AccessTechnologyType.Ieee80211,
    name: "mag-wifi");

if (mode == "handover")
{
    var mn = MobileNodeIdentifier.Nai("mn1@example.net");
    cellular.Ref.Tell(new MobileNodeAttached(mn, new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:1::"), 64)));
    wifi.Ref.Tell(new MobileNodeAttached(mn, new HomeNetworkPrefix(IPAddress.Parse("2001:db8:1:2::"), 64)));
    while ((await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(mn))).Bindings.Count < 2) await Task.Delay(10);
    network.Drop(d => d.Message is FlowHandoverReply, count: int.MaxValue);
    await lma.Ref.Ask<FlowDecision>(new FlowStarted(mn, Www(IPAddress.Parse("2001:db8:1:1::100")), Protocol: 6));
    while ((await wifi.Ref.Ask<MagMobileNodeState>(new GetMagMobileNode(mn))).FlowForwardingEntries.Count == 0) await Task.Delay(10);
    while ((await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(mn))).PendingRequests == 0) await Task.Delay(10);
    Console.WriteLine("READY");
    await Task.Delay(Timeout.Infinite);
}

for (var i = 0; ; i++)
{
    var mn = MobileNodeIdentifier.Nai($"churn{i}@example.net");
    var home = Prefix(0xd, i, 1);
    cellular.Ref.Tell(new MobileNodeAttached(mn, home));
    wifi.Ref.Tell(new MobileNodeAttached(mn, Prefix(0xd, i, 2)));
    var address = home.Prefix.GetAddressBytes();
    address[15] = 0x64;
    var www = Www(new IPAddress(address));
    // Route reads what the MN actor applied after the BCE's event was durable: that is the acknowledgement.
    while (!lma.Route(www).Address.Equals(cellularAddress) || (await lma.Ref.Ask<LmaMobileNodeState>(new GetLmaMobileNode(mn))).Bindings.Count < 2)
        await Task.Delay(1);
    Console.WriteLine($"BCE {i}");
    await lma.Ref.Ask<FlowDecision>(new FlowStarted(mn, www, Protocol: 6));
    while (!lma.Route(www).Address.Equals(wifiAddress)) await Task.Delay(1);
    Console.WriteLine($"FFE {i}");
}

MobilitySecurityAssociations Associations(byte[] key, uint spi)
{
    var associations = new MobilitySecurityAssociations();
    associations.Add(lmaAddress, spi, key);
    return associations;
}

// 2001:db8:<net><access>:<mn>::/64
static HomeNetworkPrefix Prefix(byte net, int mn, byte access)
{
    var bytes = new byte[16];
    (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]) = (0x20, 0x01, 0x0d, 0xb8, net, access, (byte)(mn >> 8), (byte)mn);
    return new HomeNetworkPrefix(new IPAddress(bytes), 64);
}

static FlowTuple Www(IPAddress destination) =>
    new(FlowAddress.Host(IPAddress.Parse("2001:db8:ffff::80")), FlowAddress.Host(destination), 443, 50000, PhbId.Default, PhbId.Default);
