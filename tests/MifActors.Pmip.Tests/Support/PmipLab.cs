using System.Net;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// The seed topology in one actor system on an in-memory network: an LMA, a cellular MAG (E-UTRAN) and a Wi-Fi MAG
/// (802.11), and one MN attached through both. The nodes share the system's journal under their own persistence ids,
/// which outlives their actors as a database outlives a process.
/// </summary>
internal sealed class PmipLab
{
    public static readonly IPAddress LmaAddress = IPAddress.Parse("2001:db8:b::1");
    public static readonly IPAddress CellularAddress = IPAddress.Parse("2001:db8:c::1");
    public static readonly IPAddress WifiAddress = IPAddress.Parse("2001:db8:a::1");
    public static readonly MobileNodeIdentifier MobileNode = MobileNodeIdentifier.Nai("mn1@example.net");
    public static readonly HomeNetworkPrefix CellularPrefix = new(IPAddress.Parse("2001:db8:1:1::"), 64);
    public static readonly HomeNetworkPrefix WifiPrefix = new(IPAddress.Parse("2001:db8:1:2::"), 64);
    public static readonly IPAddress MobileNodeCellularAddress = IPAddress.Parse("2001:db8:1:1::100");
    public static readonly IPAddress CorrespondentNode = IPAddress.Parse("2001:db8:ffff::80");
    public static readonly byte[] WifiKey = Key(1);
    public static readonly byte[] CellularKey = Key(2);

    /// <summary>A web download to the MN's cellular address: class www (port 443).</summary>
    public static readonly FlowTuple Www = new(
        FlowAddress.Host(CorrespondentNode), FlowAddress.Host(MobileNodeCellularAddress), 443, 50000, PhbId.Default, PhbId.Default);

    /// <summary>A VoIP call on the same address: class voip (port 5060), expedited forwarding.</summary>
    public static readonly FlowTuple Voip = new(
        FlowAddress.Host(CorrespondentNode), FlowAddress.Host(MobileNodeCellularAddress), 5060, 5060, PhbId.ExpeditedForwarding, PhbId.ExpeditedForwarding);

    private readonly ActorSystem system;
    private readonly HashSet<IActorRef> stopped = [];

    public PmipLab(ActorSystem system, PmipSettings? wifiSettings = null)
    {
        this.system = system;
        Settings = PmipSettings.Get(system);
        WifiSettings = wifiSettings ?? Settings;
        LmaTransport = Network.Attach(LmaAddress);
        CellularTransport = Network.Attach(CellularAddress);
        WifiTransport = Network.Attach(WifiAddress);
        Lma = StartLma();
        Cellular = StartCellular();
        Wifi = StartWifi();
    }

    public PmipSettings Settings { get; }

    public PmipSettings WifiSettings { get; }

    public InMemoryMobilityNetwork Network { get; } = new();

    public IMobilityTransport LmaTransport { get; }

    public IMobilityTransport CellularTransport { get; }

    public IMobilityTransport WifiTransport { get; }

    public Lma Lma { get; private set; }

    public Mag Cellular { get; private set; }

    public Mag Wifi { get; private set; }

    public static MobilitySecurityAssociations LmaAssociations()
    {
        var associations = new MobilitySecurityAssociations();
        associations.Add(WifiAddress, 0x100, WifiKey);
        associations.Add(CellularAddress, 0x200, CellularKey);
        return associations;
    }

    public static MobilitySecurityAssociations MagAssociations(byte[] key, uint spi) => MagAssociationsFor(LmaAddress, key, spi);

    public static MobilitySecurityAssociations MagAssociationsFor(IPAddress lma, byte[] key, uint spi)
    {
        var associations = new MobilitySecurityAssociations();
        associations.Add(lma, spi, key);
        return associations;
    }

    public Lma StartLma() => Lma = Lma.Start(system, LmaTransport, LmaAssociations(), Settings);

    public Mag StartCellular() => Cellular = Mag.Start(system, CellularTransport, MagAssociations(CellularKey, 0x200),
        LmaAddress, AccessTechnologyType.EUtran, Settings, "mag-cellular");

    public Mag StartWifi() => Wifi = Mag.Start(system, WifiTransport, MagAssociations(WifiKey, 0x100),
        LmaAddress, AccessTechnologyType.Ieee80211, WifiSettings, "mag-wifi");

    public void AttachBoth()
    {
        Cellular.Ref.Tell(new MobileNodeAttached(MobileNode, CellularPrefix));
        Wifi.Ref.Tell(new MobileNodeAttached(MobileNode, WifiPrefix));
    }

    /// <summary>
    /// Waits until the lab is quiet: rounds of asks through every mailbox a handover passes (each node and its
    /// transport, the MN's actor at each node, which answers only once its writes are durable), until two rounds in a row see no
    /// datagram sent. The in-memory network delivers inside the sender's turn, so a chain of signalling shows up as
    /// sends between rounds; nothing here depends on how long anything takes.
    /// </summary>
    public void Settle(TestKitBase kit)
    {
        // A probe of its own: a late answer (from an MN actor that stopped while asked) cannot reach the test's actor.
        var probe = kit.CreateTestProbe();
        var quiet = 0;
        var sent = -1;
        while (quiet < 2)
        {
            var answered = true;
            foreach (var node in new[] { Lma.Ref, Cellular.Ref, Wifi.Ref }.Where(n => !stopped.Contains(n)))
            {
                node.Tell(GetMobilityCounters.Instance, probe.Ref);
                node.Tell(node == Lma.Ref ? new GetLmaMobileNode(MobileNode) : new GetMagMobileNode(MobileNode), probe.Ref);
                answered &= probe.ReceiveOne(TimeSpan.FromSeconds(1)) is not null && probe.ReceiveOne(TimeSpan.FromSeconds(1)) is not null;
            }

            var now = Network.Sent.Count;
            quiet = answered && now == sent ? quiet + 1 : 0;
            sent = now;
        }

        kit.Sys.Stop(probe.Ref);
    }

    /// <summary>Every event the journal holds for one persistence id, oldest first.</summary>
    public static IReadOnlyList<object> Events(TestKitBase kit, string persistenceId)
    {
        var probe = kit.CreateTestProbe();
        Akka.Persistence.Persistence.Instance.Apply(kit.Sys).JournalFor(PmipSettings.Get(kit.Sys).JournalPlugin)
            .Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, persistenceId, probe.Ref), probe.Ref);
        var events = new List<object>();
        while (probe.ExpectMsg<object>() is ReplayedMessage replayed) events.Add(replayed.Persistent.Payload);
        return events;
    }

    /// <summary>A node the test stopped: <see cref="Settle"/> leaves it out until it starts again.</summary>
    public void Stopped(IActorRef node) => stopped.Add(node);

    private static byte[] Key(byte seed) => Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + seed)).ToArray();
}
