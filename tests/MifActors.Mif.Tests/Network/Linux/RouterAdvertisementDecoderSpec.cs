using System.Net;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;
using MifActors.Mif.Tests.Network.Linux.Support;
using MifActors.Testing.Namespaces;

namespace MifActors.Mif.Tests.Network.Linux;

/// <summary>
/// The router advertisement decoder against what radvd 2.19 sent (Vectors/radvd-2.19.hex), the RFC 8801 §3.1
/// example written out by hand, and damaged messages.
/// </summary>
public sealed class RouterAdvertisementDecoderSpec
{
    private static readonly IPAddress Router = IPAddress.Parse("fe80::1");
    private static readonly DateTimeOffset At = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    // RFC 8801 §3.1's example: PvD ID "example.org", H flag, delay 5, sequence 123, with an RDNSS and a PIO inside.
    private static readonly byte[] Rfc8801Example = Convert.FromHexString(string.Concat(
        "86000000", "40000708", "00000000", "00000000",                   // RA header: hop limit 64, router lifetime 1800
        "150c", "8005", "007b",                                           // type 21, length 12, H|delay 5, sequence 123
        "076578616d706c65", "036f7267", "00", "0000000000",               // 7 example 3 org 0, padding to 24 octets
        "19050000", "00000258",                                           // RDNSS, length 5, lifetime 600
        "20010db8000100000000000000000053", "20010db8000100000000000000000054",
        "030440c0", "00015180", "00003840", "00000000",                   // PIO /64 L A, valid 86400, preferred 14400
        "20010db8000100000000000000000000"));

    [Fact]
    public void Radvd_advertisement_gives_its_prefix_mtu_rdnss_dnssl_and_route_information()
    {
        var ra = Decode(Vectors.Radvd("radvd-prefix-mtu-rdnss-dnssl-route").Single());

        Assert.Equal(Router, ra.Router);
        Assert.Equal(At, ra.ReceivedAt);
        Assert.Equal(TimeSpan.FromSeconds(1800), ra.RouterLifetime);
        Assert.False(ra.Managed);
        Assert.Equal(1400, ra.Mtu);
        var prefix = Assert.Single(ra.Prefixes);
        Assert.Equal(new PrefixInformation(IPAddress.Parse("2001:db8:1::"), 64, true, true, TimeSpan.FromSeconds(86400), TimeSpan.FromSeconds(14400)), prefix);
        var rdnss = Assert.Single(ra.DnsServers);
        Assert.Equal([IPAddress.Parse("2001:db8:1::53"), IPAddress.Parse("2001:db8:1::54")], rdnss.Servers);
        Assert.Equal(TimeSpan.FromSeconds(600), rdnss.Lifetime);
        Assert.Equal(["wifi.example.test", "corp.example"], Assert.Single(ra.SearchLists).Domains);
        Assert.Equal(new RouteInformation(IPAddress.Parse("2001:db8:100::"), 48, RoutePreference.High, TimeSpan.FromSeconds(600)), Assert.Single(ra.Routes));
        Assert.Null(ra.ProvisioningDomain);
    }

    [Fact]
    public void Radvd_stopping_withdraws_its_router_lifetime_dns_servers_and_routes()
    {
        var ra = Decode(Vectors.Radvd("radvd-shutdown").Single());

        Assert.Equal(TimeSpan.Zero, ra.RouterLifetime);
        Assert.Equal(TimeSpan.Zero, Assert.Single(ra.DnsServers).Lifetime);
        Assert.Equal(TimeSpan.Zero, Assert.Single(ra.Routes).Lifetime);
    }

    [Fact]
    public void The_rfc_8801_example_gives_its_pvd_id_sequence_and_the_options_inside_it()
    {
        var ra = Decode(Rfc8801Example);

        Assert.Equal(new ProvisioningDomainOption("example.org", 123, Legacy: false), ra.ProvisioningDomain);
        Assert.Equal([IPAddress.Parse("2001:db8:1::53"), IPAddress.Parse("2001:db8:1::54")], Assert.Single(ra.DnsServers).Servers);
        Assert.Equal(IPAddress.Parse("2001:db8:1::"), Assert.Single(ra.Prefixes).Prefix);
    }

    [Fact]
    public void A_pvd_id_is_lower_cased_and_options_outside_and_inside_the_pvd_option_both_count()
    {
        var ra = Decode(new RouterAdvertisementBuilder()
            .Rdnss(600, "2001:db8:1::53")
            .ProvisioningDomain("PvD.Example.COM", sequence: 7, legacy: true, embedded: inner => inner.Rdnss(300, "2001:db8:1::54").Dnssl(300, "corp.example"))
            .Build());

        Assert.Equal(new ProvisioningDomainOption("pvd.example.com", 7, Legacy: true), ra.ProvisioningDomain);
        Assert.Equal(["2001:db8:1::53", "2001:db8:1::54"], ra.DnsServers.SelectMany(d => d.Servers).Select(a => a.ToString()));
        Assert.Equal(["corp.example"], Assert.Single(ra.SearchLists).Domains);
    }

    [Fact]
    public void An_ra_header_inside_the_pvd_option_replaces_the_outer_one()
    {
        var ra = Decode(new RouterAdvertisementBuilder(routerLifetime: 0)
            .ProvisioningDomain("pvd.example.com", embeddedHeader: new RouterAdvertisementBuilder(routerLifetime: 900, flags: 0x40))
            .Build());

        Assert.Equal(TimeSpan.FromSeconds(900), ra.RouterLifetime);
        Assert.True(ra.OtherConfiguration);
    }

    [Fact]
    public void Only_the_first_pvd_option_counts_and_one_nested_inside_it_is_ignored()
    {
        var ra = Decode(new RouterAdvertisementBuilder()
            .ProvisioningDomain("first.example", embedded: inner => inner.ProvisioningDomain("nested.example", embedded: deeper => deeper.Rdnss(60, "2001:db8::99")))
            .ProvisioningDomain("second.example", embedded: inner => inner.Rdnss(60, "2001:db8::98"))
            .Build());

        Assert.Equal("first.example", ra.ProvisioningDomain!.PvdId);
        Assert.Empty(ra.DnsServers);
    }

    [Fact]
    public void Infinite_lifetimes_are_null_and_a_pref64_option_gives_the_nat64_prefix()
    {
        var pref64 = Convert.FromHexString("0258" + "0064ff9b0000000000000000");   // lifetime 600 s (75 x 8), PLC 0 (/96)
        var ra = Decode(new RouterAdvertisementBuilder().Prefix("2001:db8:1::/64", uint.MaxValue, uint.MaxValue).RawOption(38, pref64).Build());

        Assert.Null(ra.Prefixes[0].ValidLifetime);
        Assert.Null(ra.Prefixes[0].PreferredLifetime);
        Assert.Equal(new Nat64Prefix(IPAddress.Parse("64:ff9b::"), 96, TimeSpan.FromSeconds(600)), ra.Nat64);
    }

    [Fact]
    public void An_option_of_length_zero_rejects_the_whole_advertisement()
    {
        var message = new RouterAdvertisementBuilder().Rdnss(600, "2001:db8::53").Build();
        message[16 + 1] = 0;

        var error = RouterAdvertisementDecoder.Decode(message, Router, At, out var ra, out _);

        Assert.Null(ra);
        Assert.Equal(RouterAdvertisementErrorCode.ZeroOptionLength, error.Code);
        Assert.Equal("option type 25 at offset 16 has length 0, which RFC 4861 forbids", error.Message);
    }

    [Fact]
    public void An_option_running_past_the_message_rejects_it()
    {
        var message = new RouterAdvertisementBuilder().Rdnss(600, "2001:db8::53").Build();

        var error = RouterAdvertisementDecoder.Decode(message.AsSpan(0, message.Length - 8), Router, At, out _, out _);

        Assert.Equal(RouterAdvertisementErrorCode.OptionTruncated, error.Code);
        Assert.Equal("option type 25 at offset 16 runs past the message (16 bytes left)", error.Message);
    }

    [Fact]
    public void Short_messages_other_types_and_codes_are_refused()
    {
        Assert.Equal(RouterAdvertisementErrorCode.Truncated, RouterAdvertisementDecoder.Decode(new byte[15], Router, At, out _, out _).Code);
        var solicitation = new byte[16];
        solicitation[0] = 133;
        Assert.Equal(RouterAdvertisementErrorCode.NotRouterAdvertisement, RouterAdvertisementDecoder.Decode(solicitation, Router, At, out _, out _).Code);
        var coded = new RouterAdvertisementBuilder().Build();
        coded[1] = 1;
        Assert.Equal(RouterAdvertisementErrorCode.BadCode, RouterAdvertisementDecoder.Decode(coded, Router, At, out _, out _).Code);
    }

    [Fact]
    public void A_prefix_preferred_longer_than_valid_is_skipped_and_reported_while_the_rest_is_read()
    {
        var message = new RouterAdvertisementBuilder().Prefix("2001:db8:1::/64", 100, 200).Rdnss(600, "2001:db8::53").Build();

        var error = RouterAdvertisementDecoder.Decode(message, Router, At, out var ra, out var skipped);

        Assert.False(error.IsError);
        Assert.Empty(ra!.Prefixes);
        Assert.Single(ra.DnsServers);
        Assert.Equal(RouterAdvertisementErrorCode.BadOptionValue, skipped.Code);
        Assert.Equal("option type 3 at offset 16 has an invalid value (200)", skipped.Message);
    }

    [Fact]
    public void A_route_information_option_with_the_reserved_preference_is_skipped()
    {
        var ra = Decode(new RouterAdvertisementBuilder().Route("2001:db8:100::/48", 600, preference: 2).Build(), expectSkipped: true);

        Assert.Empty(ra.Routes);
    }

    [Fact]
    public void An_rdnss_option_of_even_length_is_skipped()
    {
        var ra = Decode(new RouterAdvertisementBuilder().RawOption(25, new byte[14]).Build(), expectSkipped: true);

        Assert.Empty(ra.DnsServers);
    }

    [Fact]
    public void A_dnssl_name_with_a_compression_pointer_is_skipped()
    {
        var data = new byte[14];
        data[6] = 0xC0;   // a compression pointer where a label length belongs (RFC 8106 forbids compression)
        var ra = Decode(new RouterAdvertisementBuilder().RawOption(31, data).Build(), expectSkipped: true);

        Assert.Empty(ra.SearchLists);
    }

    [Fact]
    public void A_pvd_option_whose_name_runs_out_rejects_the_advertisement()
    {
        var message = new RouterAdvertisementBuilder().RawOption(21, [0, 0, 0, 0, 30, (byte)'a', (byte)'b']).Build();

        var error = RouterAdvertisementDecoder.Decode(message, Router, At, out _, out _);

        Assert.Equal(RouterAdvertisementErrorCode.BadProvisioningDomainOption, error.Code);
        Assert.Equal("PvD ID option at offset 16 is malformed: its PvD ID FQDN is not an uncompressed DNS name of printable labels", error.Message);
    }

    [Fact]
    public void A_pvd_option_announcing_an_ra_header_it_does_not_carry_rejects_the_advertisement()
    {
        var message = new RouterAdvertisementBuilder().RawOption(21, [0x20, 0, 0, 0, 1, (byte)'a', 0]).Build();

        var error = RouterAdvertisementDecoder.Decode(message, Router, At, out _, out _);

        Assert.Equal(RouterAdvertisementErrorCode.BadProvisioningDomainOption, error.Code);
        Assert.Contains("the R flag announces an RA header", error.Message, StringComparison.Ordinal);
    }

    private static RouterAdvertisement Decode(byte[] message, bool expectSkipped = false)
    {
        var error = RouterAdvertisementDecoder.Decode(message, Router, At, out var ra, out var skipped);
        Assert.False(error.IsError, error.Message);
        Assert.Equal(expectSkipped, skipped.IsError);
        return ra!;
    }
}
