using System.Net;
using MifActors.Mif.Api;
using MifActors.Mif.Network;
using MifActors.Mif.Tests.Support;
using MifActors.Testing;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Support.Scenarios;
using static MifActors.Mif.Tests.Support.Translations;

namespace MifActors.Mif.Tests;

/// <summary>
/// Names per PvD against real dnsmasq servers, one per PvD, reached through the simulated network's DNS server
/// addresses: the resolver path is DnsClient over real UDP and TCP.
/// </summary>
public sealed class DnsmasqSpec : HostSpec
{
    private readonly DnsmasqServer _wifiDns;
    private readonly DnsmasqServer _lteDns;

    public DnsmasqSpec(ITestOutputHelper output) : base(output)
    {
        var big = Enumerable.Range(1, 100).Select(i => $"host-record=big.example.test,10.1.0.{i}").ToArray();
        _wifiDns = new DnsmasqServer("example.test",
        [
            "host-record=www.example.test,192.0.2.10,2001:db8:a::10",
            "host-record=multi.example.test,192.0.2.1,2001:db8:a::1",
            "host-record=multi.example.test,192.0.2.2,2001:db8:a::2",
            "host-record=v6only.example.test,2001:db8:a::6",
            "cname=alias.example.test,hop.example.test",
            "cname=hop.example.test,www.example.test",
            .. big,
        ]);
        _lteDns = new DnsmasqServer("example.test", "host-record=www.example.test,198.51.100.20,2001:db8:b::20");
        WifiAndLte(Net);
        Net.AddDnsServer("2001:db8:1::53", _wifiDns.Endpoint);
        Net.AddDnsServer("2001:db8:2::53", _lteDns.Endpoint);

        // The PvDs are there before any test asks them.
        Send(new AnnounceInterfaces());
        App.ReceiveN(2);
        Send(new AnnounceProvisioningDomains("wlan0"));
        Send(new AnnounceProvisioningDomains("lte0"));
        App.ReceiveN(2);
    }

    [Fact]
    public void Two_pvds_answering_the_same_name_differently_give_each_pvd_its_own_answer()
    {
        Send(new TranslateName(WifiPvd, "www.example.test", "wifi"));
        Send(new TranslateName(LtePvd, "www.example.test", "lte"));
        var results = Collect(App, "wifi", "lte");

        Assert.Equal(Set("192.0.2.10", "2001:db8:a::10"), results["wifi"].Addresses.ToHashSet());
        Assert.Equal(Set("198.51.100.20", "2001:db8:b::20"), results["lte"].Addresses.ToHashSet());
        Assert.IsType<NameTranslationComplete>(results["wifi"].End);
        Assert.IsType<NameTranslationComplete>(results["lte"].End);
        // Each PvD asked its own server only: A and AAAA, once each.
        Assert.Equal(2, _lteDns.Queries);
    }

    [Fact]
    public void Every_address_is_a_name_translation_of_its_own_a_and_aaaa_alike()
    {
        Send(new TranslateName(WifiPvd, "multi.example.test", "m"));
        var result = Collect(App, "m")["m"];
        Assert.Equal(4, result.Addresses.Count);
        Assert.Equal(Set("192.0.2.1", "192.0.2.2", "2001:db8:a::1", "2001:db8:a::2"), result.Addresses.ToHashSet());
    }

    [Fact]
    public void A_name_with_only_aaaa_records_gives_those_and_completes()
    {
        Send(new TranslateName(WifiPvd, "v6only.example.test", "v6"));
        var result = Collect(App, "v6")["v6"];
        Assert.Equal([IPAddress.Parse("2001:db8:a::6")], result.Addresses);
        Assert.IsType<NameTranslationComplete>(result.End);
    }

    [Fact]
    public void A_cname_chain_is_followed_to_the_addresses_at_its_end()
    {
        Send(new TranslateName(WifiPvd, "alias.example.test", "c"));
        Assert.Equal(Set("192.0.2.10", "2001:db8:a::10"), Collect(App, "c")["c"].Addresses.ToHashSet());
    }

    [Fact]
    public void A_name_that_does_not_exist_is_not_translated_and_says_so()
    {
        Send(new TranslateName(WifiPvd, "nothing.example.test", "nx"));
        var end = Assert.IsType<NoNameTranslation>(Collect(App, "nx")["nx"].End);
        Assert.Equal(NameTranslationFailure.NameNotFound, end.Reason);
        Assert.Contains("NXDOMAIN", end.Message);
    }

    [Fact]
    public void A_server_that_refuses_is_a_server_failure()
    {
        // dnsmasq has no upstream: names outside its domain are REFUSED.
        Send(new TranslateName(WifiPvd, "www.elsewhere.invalid", "r"));
        var end = Assert.IsType<NoNameTranslation>(Collect(App, "r")["r"].End);
        Assert.Equal(NameTranslationFailure.ServerFailure, end.Reason);
        Assert.Contains("Refused", end.Message);
    }

    [Fact]
    public void A_truncated_answer_is_fetched_again_over_tcp()
    {
        Send(new TranslateName(WifiPvd, "big.example.test", "big"));
        var result = Collect(App, "big")["big"];
        Assert.Equal(100, result.Addresses.Distinct().Count());
        // The A query twice (truncated over UDP, whole over TCP); the AAAA query once.
        Assert.Equal(3, _wifiDns.Log.Split('\n').Count(l => l.Contains("big.example.test from", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_translation_id_may_be_used_again_once_its_translation_ended()
    {
        Send(new TranslateName(WifiPvd, "www.example.test", "same"));
        Assert.IsType<NameTranslationComplete>(Collect(App, "same")["same"].End);
        Send(new TranslateName(LtePvd, "www.example.test", "same"));
        Assert.Equal(Set("198.51.100.20", "2001:db8:b::20"), Collect(App, "same")["same"].Addresses.ToHashSet());
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _wifiDns.Dispose();
        _lteDns.Dispose();
    }
}

/// <summary>With mifactors.mif.dns.tcp-fallback off, an answer that does not fit in UDP is not fetched over TCP.</summary>
public sealed class DnsWithoutTcpFallbackSpec : HostSpec
{
    private readonly DnsmasqServer _dns;

    public DnsWithoutTcpFallbackSpec(ITestOutputHelper output)
        : base(output, "mifactors.mif.dns { tcp-fallback = off, retries = 0 }")
    {
        _dns = new DnsmasqServer("example.test", Enumerable.Range(1, 100).Select(i => $"host-record=big.example.test,10.1.0.{i}").ToArray());
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Net.AddDnsServer("2001:db8:1::53", _dns.Endpoint);
        Send(new AnnounceInterfaces());
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("wlan0"));
        App.ExpectMsg<ProvisioningDomainAnnouncement>();
    }

    [Fact]
    public void A_truncated_answer_is_a_server_failure()
    {
        Send(new TranslateName(WifiPvd, "big.example.test", "big"));
        var end = Assert.IsType<NoNameTranslation>(Collect(App, "big")["big"].End);
        Assert.Equal(NameTranslationFailure.ServerFailure, end.Reason);
        Assert.Contains("truncated", end.Message);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _dns.Dispose();
    }
}
