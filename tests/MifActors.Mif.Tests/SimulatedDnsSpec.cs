using System.Net;
using MifActors.Mif.Api;
using MifActors.Mif.Network;
using MifActors.Mif.Network.Simulated;
using MifActors.Mif.Tests.Support;
using Xunit.Abstractions;
using static MifActors.Mif.Tests.Support.Scenarios;
using static MifActors.Mif.Tests.Support.Translations;
using Error = MifActors.Mif.Api.Error;

namespace MifActors.Mif.Tests;

/// <summary>
/// Names on the simulated network's DNS servers (real loopback responders) where time matters: round trips, timeouts
/// and retries on virtual time, translations stopped or overtaken, and the choice of a PvD when the request names none.
/// </summary>
public sealed class SimulatedDnsSpec : HostSpec
{
    private readonly DnsZone _wifiZone = new DnsZone().Add("www.example.com", "192.0.2.10", "2001:db8:a::10");
    private readonly DnsZone _corpZone = new DnsZone().Add("intranet.corp.example", "10.8.1.1").Add("www.example.com", "10.8.9.9");

    public SimulatedDnsSpec(ITestOutputHelper output) : base(output, """
        mifactors.mif.dns-selection {
          rules = [ { suffix = "corp.example", interface = "tun0" } ]
          default-interfaces = [ wlan0 ]
        }
        mifactors.mif.static-interfaces {
          tun0 { pvd-id = "vpn.corp.example", dns-servers = ["10.8.0.1"], search-domains = ["corp.example"] }
        }
        """)
    {
        Net.AddInterface("wlan0", InterfaceKind.Wifi);
        Net.AdvertiseRouter("wlan0", Wifi());
        Net.AddDnsServer("2001:db8:1::53", _wifiZone);
        Net.AddInterface("tun0", InterfaceKind.Tunnel);
        Net.AddAddress("tun0", "10.8.0.2", 24);
        Net.AddDnsServer("10.8.0.1", _corpZone, via: "tun0");

        Send(new AnnounceInterfaces());
        App.ReceiveN(2);
        Send(new AnnounceProvisioningDomains("wlan0"));
        Send(new AnnounceProvisioningDomains("tun0"));
        Assert.Equal(
            new HashSet<IFromMifApi> { new ProvisioningDomainAnnouncement("wlan0", WifiPvd), new ProvisioningDomainAnnouncement("tun0", "vpn.corp.example") },
            App.ReceiveN(2).Cast<IFromMifApi>().ToHashSet());
    }

    [Fact]
    public void An_answer_comes_one_round_trip_of_virtual_time_later()
    {
        Net.SetDelay("wlan0", TimeSpan.FromMilliseconds(300));
        Send(new TranslateName(WifiPvd, "www.example.com", "t"));
        Eventually(() => Net.DnsQueriesReceived == 2, "the A and AAAA queries reached the server");
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Advance(TimeSpan.FromMilliseconds(299));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Set("192.0.2.10", "2001:db8:a::10"), Collect(App, "t")["t"].Addresses.ToHashSet());
    }

    [Fact]
    public void A_translation_id_in_use_is_an_error_and_the_first_translation_goes_on()
    {
        Net.SetDelay("wlan0", TimeSpan.FromMilliseconds(50));
        Send(new TranslateName(WifiPvd, "www.example.com", "dup"));
        Send(new TranslateName(WifiPvd, "www.example.com", "dup"));
        var error = App.ExpectMsg<Error>();
        Assert.Equal((nameof(TranslateName), "dup"), (error.Request, error.Id));

        Eventually(() => Net.DnsQueriesReceived == 2, "the first translation's queries reached the server");
        Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(2, Collect(App, "dup")["dup"].Addresses.Count);
    }

    [Fact]
    public void After_stop_translating_name_no_more_results_come()
    {
        Net.SetDelay("wlan0", TimeSpan.FromMilliseconds(50));
        Send(new TranslateName(WifiPvd, "www.example.com", "s"));
        Eventually(() => Net.DnsQueriesReceived == 2, "the queries reached the server");
        Send(new StopTranslatingName("s"));
        Send(new TranslateName(WifiPvd, "nothing.example.com", "after-stop"));   // the stop is handled before this
        Eventually(() => Net.DnsQueriesReceived == 4, "the second translation's queries reached the server");
        Advance(TimeSpan.FromMilliseconds(50));

        // Only the second translation answers; nothing of the first.
        var second = Collect(App, "after-stop")["after-stop"];
        Assert.Equal(NameTranslationFailure.NameNotFound, Assert.IsType<NoNameTranslation>(second.End).Reason);
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Without_answers_each_attempt_times_out_on_virtual_time_and_the_last_says_so()
    {
        Net.Blackhole("wlan0");
        Send(new TranslateName(WifiPvd, "www.example.com", "bh"));
        for (var attempt = 1; attempt <= 3; attempt++)   // dns.retries = 2: three attempts of dns.timeout = 2 s
        {
            var queries = attempt * 2;
            Eventually(() => Net.DnsQueriesReceived == queries, $"attempt {attempt} of A and AAAA reached the server");
            App.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
            Advance(TimeSpan.FromSeconds(2));
        }
        var end = Assert.IsType<NoNameTranslation>(Collect(App, "bh")["bh"].End);
        Assert.Equal(NameTranslationFailure.TimedOut, end.Reason);
        Assert.Contains("3 attempts", end.Message);
        Assert.Equal(6, Net.DnsQueriesReceived);
    }

    [Fact]
    public void A_retry_goes_to_the_pvds_next_server()
    {
        Net.AdvertiseRouter("wlan0", Wifi() with
        {
            DnsServers = [new RecursiveDnsServers([IPAddress.Parse("2001:db8:1::dead"), IPAddress.Parse("2001:db8:1::53")], TimeSpan.FromHours(1))],
        });
        Eventually(() => DnsServersOf(WifiPvd).Count == 2, "the PvD has both servers");

        Send(new TranslateName(WifiPvd, "www.example.com", "next"));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));   // 2001:db8:1::dead is nobody: no answer
        Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Set("192.0.2.10", "2001:db8:a::10"), Collect(App, "next")["next"].Addresses.ToHashSet());
    }

    [Fact]
    public void A_pvd_without_dns_servers_says_so()
    {
        Net.AddInterface("eth0");
        Net.AddAddress("eth0", "192.168.7.7", 24);
        App.ExpectMsg<InterfaceAnnouncement>();
        Send(new AnnounceProvisioningDomains("eth0"));
        ExpectInOrder(new ProvisioningDomainAnnouncement("eth0", "eth0/static"));
        Send(new TranslateName("eth0/static", "www.example.com", "none"));
        var end = Assert.IsType<NoNameTranslation>(Collect(App, "none")["none"].End);
        Assert.Equal(NameTranslationFailure.NoDnsServers, end.Reason);
    }

    [Fact]
    public void A_pvd_that_goes_away_ends_its_translations()
    {
        Net.SetDelay("wlan0", TimeSpan.FromSeconds(1));
        Send(new TranslateName(WifiPvd, "www.example.com", "gone"));
        Eventually(() => Net.DnsQueriesReceived == 2, "the queries reached the server");
        Net.TakeDown("wlan0");
        var messages = App.ReceiveN(3).ToArray();   // No PvD, the translation's end, No Interface
        var end = messages.OfType<NoNameTranslation>().Single();
        Assert.Equal(NameTranslationFailure.PvdGone, end.Reason);
        Assert.IsType<NoInterfaceAnnouncement>(messages[^1]);
    }

    [Fact]
    public void A_name_under_a_dns_selection_suffix_goes_to_the_pvd_of_that_interface()
    {
        Send(new TranslateName(null, "intranet.corp.example", "corp"));
        Send(new TranslateName(null, "www.example.com", "public"));
        var results = Collect(App, "corp", "public");
        Assert.Equal(Set("10.8.1.1"), results["corp"].Addresses.ToHashSet());
        // Not under the suffix: the default interface's PvD, with the public answer.
        Assert.Equal(Set("192.0.2.10", "2001:db8:a::10"), results["public"].Addresses.ToHashSet());
    }

    [Fact]
    public void A_pvd_named_in_the_request_is_asked_even_when_dns_selection_would_choose_another()
    {
        Send(new TranslateName("vpn.corp.example", "www.example.com", "split"));
        Assert.Equal(Set("10.8.9.9"), Collect(App, "split")["split"].Addresses.ToHashSet());
    }

    [Fact]
    public void A_captive_portals_dns_answers_every_name_with_the_portal()
    {
        _wifiZone.InterceptAll(IPAddress.Parse("192.0.2.80"));
        Send(new TranslateName(WifiPvd, "anything.example.org", "portal"));
        var result = Collect(App, "portal")["portal"];
        Assert.Equal([IPAddress.Parse("192.0.2.80")], result.Addresses);
        Assert.IsType<NameTranslationComplete>(result.End);
    }

    [Fact]
    public void A_lost_query_is_asked_again_after_the_timeout()
    {
        Net.SetLoss("wlan0", 1.0);
        Send(new TranslateName(WifiPvd, "www.example.com", "lossy"));
        Eventually(() => Net.DnsQueriesReceived == 2, "the lost queries reached the server");
        Net.SetLoss("wlan0", 0);
        Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, Collect(App, "lossy")["lossy"].Addresses.Count);
    }

    private IReadOnlyList<string> DnsServersOf(string pvdId)
    {
        var look = CreateTestProbe();
        Send(look, new GetConfigurationData(pvdId, ConfigurationElementType.Ra, ConfigurationInformation.DnsServers));
        return look.ExpectMsg<ConfigurationData>().Values;
    }
}
