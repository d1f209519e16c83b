namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>
/// Numbers from the kernel's uapi headers (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h,
/// linux/if.h), as installed by linux-libc-dev. Only what the backend reads or sends.
/// </summary>
internal static class Rtnetlink
{
    public const int AddressFamilyNetlink = 16;   // AF_NETLINK
    public const int ProtocolRoute = 0;           // NETLINK_ROUTE
    public const int SolNetlink = 270;            // SOL_NETLINK
    public const int AddMembership = 1;           // NETLINK_ADD_MEMBERSHIP
    public const int ExtendedAck = 11;            // NETLINK_EXT_ACK

    // struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32.
    public const int HeaderLength = 16;

    // NLMSG_* control types.
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;

    // RTM_* message types.
    public const ushort NewLink = 16;
    public const ushort DeleteLink = 17;
    public const ushort GetLink = 18;
    public const ushort NewAddress = 20;
    public const ushort DeleteAddress = 21;
    public const ushort GetAddress = 22;
    public const ushort NewRoute = 24;
    public const ushort DeleteRoute = 25;
    public const ushort GetRoute = 26;

    // NLM_F_* flags.
    public const ushort FlagRequest = 0x01;
    public const ushort FlagMulti = 0x02;
    public const ushort FlagAck = 0x04;
    public const ushort FlagDumpInterrupted = 0x10;
    public const ushort FlagDump = 0x300;          // NLM_F_ROOT | NLM_F_MATCH
    public const ushort FlagReplace = 0x100;
    public const ushort FlagExclusive = 0x200;
    public const ushort FlagCreate = 0x400;
    public const ushort FlagAckTlvs = 0x200;       // on NLMSG_ERROR: extended-ack attributes follow

    // RTNLGRP_* multicast groups (enum rtnetlink_groups).
    public const int GroupLink = 1;
    public const int GroupIPv4Address = 5;
    public const int GroupIPv4Route = 7;
    public const int GroupIPv6Address = 9;
    public const int GroupIPv6Route = 11;

    // Fixed part of each family's message, after the nlmsghdr.
    public const int LinkInfoLength = 16;          // struct ifinfomsg
    public const int AddressInfoLength = 8;        // struct ifaddrmsg
    public const int RouteInfoLength = 12;         // struct rtmsg

    // IFLA_* link attributes.
    public const ushort LinkAddress = 1;
    public const ushort LinkName = 3;
    public const ushort LinkMtu = 4;
    public const ushort LinkOperationalState = 16;

    // IFA_* address attributes.
    public const ushort AddressAddress = 1;
    public const ushort AddressLocal = 2;
    public const ushort AddressLabel = 3;
    public const ushort AddressCacheInfo = 6;
    public const ushort AddressFlags = 8;

    // RTA_* route attributes.
    public const ushort RouteDestination = 1;
    public const ushort RouteSource = 2;
    public const ushort RouteOutputInterface = 4;
    public const ushort RouteGateway = 5;
    public const ushort RoutePriority = 6;
    public const ushort RoutePreferredSource = 7;
    public const ushort RouteTable = 15;
    public const ushort RoutePreference = 20;
    public const ushort RouteExpires = 23;

    // NLMSGERR_ATTR_* extended-ack attributes.
    public const ushort ErrorAttributeMessage = 1;

    // IFF_* link flags.
    public const uint InterfaceUp = 1 << 0;
    public const uint InterfaceLoopback = 1 << 3;
    public const uint InterfaceRunning = 1 << 6;
    public const uint InterfaceLowerUp = 1 << 16;

    // IFA_F_* address flags.
    public const uint AddressNoDad = 0x02;
    public const uint AddressDadFailed = 0x08;
    public const uint AddressDeprecated = 0x20;
    public const uint AddressTentative = 0x40;
    public const uint AddressPermanent = 0x80;

    // rtm_table, rtm_protocol, rtm_scope, rtm_type values.
    public const byte TableMain = 254;
    public const byte ProtocolStatic = 4;
    public const byte ScopeUniverse = 0;
    public const byte ScopeLink = 253;
    public const byte TypeUnicast = 1;
    public const byte TypeUnreachable = 7;

    // errno values the backend tells apart in acknowledgements.
    public const int NoSuchProcess = 3;    // ESRCH: no such route to delete
    public const int Exists = 17;          // EEXIST: the route is there already

    // ifa_cacheinfo lifetime that means "forever".
    public const uint InfiniteLifetime = 0xFFFFFFFF;
}
