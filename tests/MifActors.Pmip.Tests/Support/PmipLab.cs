using System.Net;
using MifActors.Actors;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.State;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// The seed topology in one actor system on an in-memory network: an LMA, a cellular MAG (E-UTRAN) and a Wi-Fi MAG
/// (802.11), and one MN attached through both. Each node has its own state store, which outlives its actors.
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

    public PmipLab(ActorSystem system, PmipSettings? wifiSettings = null)
    {
        this.system = system;
        Settings = PmipSettings.From(system.Configuration);
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

    public InMemoryMobilityStateStore LmaStore { get; } = new();

    public InMemoryMobilityStateStore CellularStore { get; } = new();

    public InMemoryMobilityStateStore WifiStore { get; } = new();

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

    public Lma StartLma() => Lma = Lma.Start(system, LmaTransport, LmaAssociations(), LmaStore, Settings);

    public Mag StartCellular() => Cellular = Mag.Start(system, CellularTransport, MagAssociations(CellularKey, 0x200), CellularStore,
        LmaAddress, AccessTechnologyType.EUtran, Settings, "mag-cellular");

    public Mag StartWifi() => Wifi = Mag.Start(system, WifiTransport, MagAssociations(WifiKey, 0x100), WifiStore,
        LmaAddress, AccessTechnologyType.Ieee80211, WifiSettings, "mag-wifi");

    public void AttachBoth()
    {
        Cellular.Ref.Tell(new MobileNodeAttached(MobileNode, CellularPrefix));
        Wifi.Ref.Tell(new MobileNodeAttached(MobileNode, WifiPrefix));
    }

    /// <summary>The configuration every scenario starts from: the seed's policy.</summary>
    public static Dictionary<string, string?> Configuration(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["mifactors:pmip:lma:application-classes:www:ports"] = "80,443",
            ["mifactors:pmip:lma:application-classes:www:access-technologies"] = "ieee80211,eutran",
            ["mifactors:pmip:lma:application-classes:voip:ports"] = "5060",
            ["mifactors:pmip:lma:application-classes:voip:access-technologies"] = "eutran,ieee80211",
            ["mifactors:pmip:ffe-renew-before"] = "0s",
        };
        foreach (var (key, value) in overrides) settings["mifactors:pmip:" + key] = value;
        return settings;
    }

    private static byte[] Key(byte seed) => Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + seed)).ToArray();
}
