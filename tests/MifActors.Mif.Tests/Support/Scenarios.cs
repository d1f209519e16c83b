using System.Net;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Simulated;

namespace MifActors.Mif.Tests.Support;

/// <summary>Networks the tests share: each adds interfaces and routers to a simulated network.</summary>
public static class Scenarios
{
    public static readonly IPAddress WifiRouter = IPAddress.Parse("fe80::1");
    public static readonly IPAddress LteRouter = IPAddress.Parse("fe80::2");

    /// <summary>The implicit PvD of the Wi-Fi router.</summary>
    public const string WifiPvd = "wlan0/fe80::1";

    /// <summary>The RFC 8801 PvD the LTE router advertises.</summary>
    public const string LtePvd = "lte.operator.example";

    public static SimulatedRouter Wifi(TimeSpan? routerLifetime = null) =>
        SimulatedRouter.At("fe80::1")
            .WithPrefix("2001:db8:1::/64", TimeSpan.FromHours(1), TimeSpan.FromMinutes(30))
            .WithDnsServers("2001:db8:1::53") with { RouterLifetime = routerLifetime ?? TimeSpan.FromMinutes(30), Interval = TimeSpan.Zero };

    public static SimulatedRouter Lte() =>
        SimulatedRouter.At("fe80::2")
            .WithPrefix("2001:db8:2::/64", TimeSpan.FromHours(1), TimeSpan.FromMinutes(30))
            .WithDnsServers("2001:db8:2::53")
            .WithPvdId(LtePvd, metered: true) with { Interval = TimeSpan.Zero };

    /// <summary>wlan0 with a router (implicit PvD) and eth-less lte0 with an RFC 8801 PvD.</summary>
    public static void WifiAndLte(SimulatedNetwork net)
    {
        net.AddInterface("wlan0", InterfaceKind.Wifi);
        net.AdvertiseRouter("wlan0", Wifi());
        net.AddInterface("lte0", InterfaceKind.Cellular);
        net.AdvertiseRouter("lte0", Lte());
    }

    /// <summary>The SLAAC address a /64 gives the named interface.</summary>
    public static IPAddress Slaac(string prefix, string interfaceName)
    {
        var network = IPNetwork.Parse(prefix);
        var bytes = network.BaseAddress.GetAddressBytes();
        new Mif.Network.Simulated.Internal.SimulatedInterface(interfaceName, interfaceName, InterfaceKind.Other, true, false).InterfaceIdentifier.CopyTo(bytes, 8);
        return new IPAddress(bytes);
    }
}
