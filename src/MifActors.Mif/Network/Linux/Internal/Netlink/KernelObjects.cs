using System.Net;
using System.Net.Sockets;

namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>
/// A network interface as RTM_NEWLINK describes it (struct ifinfomsg and its IFLA_* attributes); the link type is
/// the ARPHRD_* of linux/if_arp.h.
/// </summary>
internal sealed record KernelLink(int Index, string Name, ushort LinkType, uint Flags, byte OperationalState, int Mtu)
{
    public bool IsLoopback => (Flags & Rtnetlink.InterfaceLoopback) != 0;

    /// <summary>Administratively up (IFF_UP).</summary>
    public bool IsUp => (Flags & Rtnetlink.InterfaceUp) != 0;

    /// <summary>Operationally up, RFC 2863 (IFF_RUNNING): carrier, and not dormant.</summary>
    public bool IsRunning => (Flags & Rtnetlink.InterfaceRunning) != 0;
}

/// <summary>
/// An address as RTM_NEWADDR describes it (struct ifaddrmsg, IFA_LOCAL or IFA_ADDRESS, IFA_FLAGS, IFA_CACHEINFO).
/// Lifetimes are the seconds left when the kernel sent the message; <see cref="Rtnetlink.InfiniteLifetime"/> is forever.
/// </summary>
internal sealed record KernelAddress(
    int InterfaceIndex,
    IPAddress Address,
    byte PrefixLength,
    uint Flags,
    byte Scope,
    uint PreferredLifetime,
    uint ValidLifetime)
{
    /// <summary>Still being checked by duplicate address detection, or found duplicate: not usable as a source.</summary>
    public bool IsTentative => (Flags & (Rtnetlink.AddressTentative | Rtnetlink.AddressDadFailed)) != 0;

    public bool IsDeprecated => (Flags & Rtnetlink.AddressDeprecated) != 0;
}

/// <summary>A route as RTM_NEWROUTE describes it (struct rtmsg and its RTA_* attributes); multipath routes are not read.</summary>
internal sealed record KernelRoute(
    AddressFamily Family,
    IPAddress Destination,
    byte DestinationLength,
    IPAddress? Gateway,
    int OutputInterface,
    uint Table,
    byte Protocol,
    byte Scope,
    byte Type,
    uint Priority,
    IPAddress? PreferredSource,
    byte Preference,
    uint Expires);
