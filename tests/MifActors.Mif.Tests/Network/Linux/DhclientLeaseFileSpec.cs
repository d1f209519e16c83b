using System.Net;
using MifActors.Mif.Network.Linux.Internal.Leases;

namespace MifActors.Mif.Tests.Network.Linux;

/// <summary>dhclient lease files (dhclient.leases(5)), as ISC dhclient 4.4 writes them, read for DNS servers and leases.</summary>
public sealed class DhclientLeaseFileSpec
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private const string Ipv4 = """
        lease {
          interface "eth0";
          fixed-address 192.0.2.10;
          option subnet-mask 255.255.255.0;
          option routers 192.0.2.1;
          option dhcp-lease-time 3600;
          option dhcp-message-type 5;
          option domain-name-servers 192.0.2.53, 192.0.2.54;
          option dhcp-server-identifier 192.0.2.1;
          option domain-name "old.example";
          renew 4 2026/12/04 10:00:00;
          expire 4 2026/12/04 11:00:00;
        }
        lease {
          interface "eth0";
          fixed-address 192.0.2.11;
          option subnet-mask 255.255.255.0;
          option routers 192.0.2.1;
          option dhcp-lease-time 3600;
          option domain-name-servers 192.0.2.53;
          option dhcp-server-identifier 192.0.2.1;
          option domain-search "corp.example.", "example.net.";
          option interface-mtu 1400;
          renew 4 2026/12/04 12:10:00;
          rebind 4 2026/12/04 12:30:00;
          expire 4 2026/12/04 12:40:00;
        }
        """;

    private const string Ipv6 = """
        default-duid "\000\001\000\001\036\327\305\261\002\000\000\000\000\001";
        lease6 {
          interface "wlan0";
          ia-na 01:00:00:00 {
            starts 1796385000;
            renew 300;
            rebind 480;
            iaaddr 2001:db8:1::100 {
              starts 1796385000;
              preferred-life 600;
              max-life 900;
            }
          }
          option dhcp6.client-id 0:1:0:1:1e:d7:c5:b1:2:0:0:0:0:1;
          option dhcp6.server-id 0:1:0:1:1e:d7:c5:b1:2:0:0:0:0:2;
          option dhcp6.name-servers 2001:db8:1::53,2001:db8:1::54;
          option dhcp6.domain-search "wifi.example.";
        }
        """;

    [Fact]
    public void The_last_unexpired_ipv4_lease_of_an_interface_gives_its_address_router_dns_servers_and_domains()
    {
        var problems = new List<string>();
        var leases = DhclientLeaseFile.Read("dhclient.leases", Ipv4, Now, problems.Add);

        Assert.Empty(problems);
        var lease = leases["eth0"].V4!;
        Assert.Equal(IPAddress.Parse("192.0.2.11"), lease.Address);
        Assert.Equal(24, lease.PrefixLength);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), lease.Router);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), lease.Server);
        Assert.Equal([IPAddress.Parse("192.0.2.53")], lease.DnsServers);
        Assert.Equal(["corp.example", "example.net"], lease.SearchDomains);
        Assert.Equal(1400, lease.Mtu);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 12, 40, 0, TimeSpan.Zero), lease.ValidUntil);
        Assert.Equal(TimeSpan.FromHours(1), lease.LeaseTime);
    }

    [Fact]
    public void An_expired_lease_is_not_reported()
    {
        var leases = DhclientLeaseFile.Read("dhclient.leases", Ipv4, Now.AddHours(1), _ => { });

        Assert.False(leases.ContainsKey("eth0"));
    }

    [Fact]
    public void A_dhcpv6_lease_gives_its_name_servers_and_search_list()
    {
        var leases = DhclientLeaseFile.Read("dhclient6.leases", Ipv6, DateTimeOffset.FromUnixTimeSeconds(1796385100), _ => { });

        var information = leases["wlan0"].V6!;
        Assert.Equal([IPAddress.Parse("2001:db8:1::53"), IPAddress.Parse("2001:db8:1::54")], information.DnsServers);
        Assert.Equal(["wifi.example"], information.SearchDomains);
        Assert.Equal(TimeSpan.FromSeconds(900), information.Lifetime);
    }

    [Fact]
    public void A_lease_with_a_bad_address_is_skipped_with_the_file_and_line_and_the_others_are_read()
    {
        var text = Ipv4.Replace("fixed-address 192.0.2.10;", "fixed-address 192.0.2.300;", StringComparison.Ordinal);
        var problems = new List<string>();

        var leases = DhclientLeaseFile.Read("/var/lib/dhcp/dhclient.leases", text, Now, problems.Add);

        Assert.Equal("/var/lib/dhcp/dhclient.leases:1: lease block skipped: \"192.0.2.300\" is not an IPv4 address", Assert.Single(problems));
        Assert.Equal(IPAddress.Parse("192.0.2.11"), leases["eth0"].V4!.Address);
    }

    [Fact]
    public void A_file_cut_inside_a_block_is_skipped_whole_with_a_sentence()
    {
        var problems = new List<string>();

        var leases = DhclientLeaseFile.Read("cut.leases", Ipv4[..200], Now, problems.Add);

        Assert.Empty(leases);
        Assert.StartsWith("cut.leases: line ", Assert.Single(problems), StringComparison.Ordinal);
    }
}
