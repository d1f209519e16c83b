using System.Net;
using System.Text;
using MifActors.Mif.Api;
using MifActors.Mif.Api.Json;

namespace MifActors.Mif.Tests.Api.Json;

public sealed class MifJsonTests
{
    public static TheoryData<object> Messages() => new(SampleMessages.All);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_reads_back_equal_from_its_one_line(object message)
    {
        var line = MifJson.EncodeLine(message);

        Assert.Equal((byte)'\n', line[^1]);
        Assert.DoesNotContain((byte)'\n', line[..^1]);
        Assert.True(MifJson.TryDecode(line.AsSpan(0, line.Length - 1), out var decoded, out var error), error?.Message);
        Assert.IsType(message.GetType(), decoded);
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Every_message_type_of_the_api_is_in_the_codec_and_in_the_samples()
    {
        var api = typeof(IToMifApi).Assembly.GetTypes()
            .Where(t => t.IsAssignableTo(typeof(IToMifApi)) || t.IsAssignableTo(typeof(IFromMifApi)))
            .Where(t => !t.IsInterface)
            .Select(t => t.Name).Order().ToArray();

        Assert.Equal(api, MifJson.Types.Select(t => t.Name).Order().ToArray());
        Assert.Equal(api, SampleMessages.All.Select(m => m.GetType().Name).Distinct().Order().ToArray());
    }

    [Fact]
    public void The_wire_names_the_record_as_type_first_and_properties_in_camel_case()
    {
        var json = Encoding.UTF8.GetString(MifJson.EncodeLine(
            new AddressAnnouncement(IPAddress.Parse("2001:db8::1"), "pvd.example.com", TimeSpan.FromHours(2), null)));

        Assert.Equal(
            "{\"type\":\"AddressAnnouncement\",\"address\":\"2001:db8::1\",\"pvdId\":\"pvd.example.com\",\"validLifetime\":7200,\"preferredLifetime\":null}\n",
            json);
    }

    [Fact]
    public void Enums_are_written_as_their_names()
    {
        var json = Encoding.UTF8.GetString(MifJson.EncodeLine(
            new ConfigurationElementAnnouncement("p", ConfigurationElementType.Dhcpv6)));

        Assert.Contains("\"elementType\":\"Dhcpv6\"", json);
    }

    [Fact]
    public void The_stream_of_a_connected_message_stays_out_of_the_json()
    {
        using var stream = new MemoryStream();
        var connected = new Connected("c-1", "p", IPAddress.IPv6Loopback, 1, IPAddress.IPv6Loopback, 2) { Stream = stream };

        var json = Encoding.UTF8.GetString(MifJson.EncodeLine(connected));

        Assert.DoesNotContain("stream", json, StringComparison.OrdinalIgnoreCase);
        Assert.True(MifJson.TryDecode(Encoding.UTF8.GetBytes(json.TrimEnd()), out var decoded, out _));
        Assert.Null(((Connected)decoded).Stream);
    }

    [Fact]
    public void Type_may_come_after_the_other_properties()
    {
        Assert.True(MifJson.TryDecode("""{"interfaceId":"eth0","type":"AnnounceProvisioningDomains"}"""u8, out var message, out var error),
            error?.Message);
        Assert.Equal(new AnnounceProvisioningDomains("eth0"), message);
    }

    [Fact]
    public void A_nullable_property_may_be_left_out()
    {
        Assert.True(MifJson.TryDecode("""{"type":"AnnounceAddresses"}"""u8, out var message, out var error), error?.Message);
        Assert.Equal(new AnnounceAddresses(null), message);
    }

    [Theory]
    [InlineData("hello", null, "not valid JSON at byte 1")]
    [InlineData("{\"type\":\"AnnounceInterfaces\"", "AnnounceInterfaces", "not valid JSON")]
    [InlineData("{\"type\":\"AnnounceInterfaces\"} {}", "AnnounceInterfaces", "not valid JSON")]
    [InlineData("[1,2]", null, "expected a JSON object like {\"type\":\"AnnounceInterfaces\"}, got a list")]
    [InlineData("{}", null, "no \"type\"")]
    [InlineData("{\"type\":7}", null, "\"type\" must be a message name as a string")]
    [InlineData("{\"type\":\"AnnounceEverything\"}", "AnnounceEverything", "unknown type \"AnnounceEverything\"; requests are AnnounceInterfaces, StopAnnouncingInterfaces")]
    [InlineData("{\"type\":\"AnnounceProvisioningDomains\"}", "AnnounceProvisioningDomains", "AnnounceProvisioningDomains: missing property \"interfaceId\" (a string)")]
    [InlineData("{\"type\":\"AnnounceProvisioningDomains\",\"interface\":\"eth0\"}", "AnnounceProvisioningDomains", "unknown property \"interface\"; AnnounceProvisioningDomains has \"interfaceId\"")]
    [InlineData("{\"type\":\"AnnounceProvisioningDomains\",\"interfaceId\":null}", "AnnounceProvisioningDomains", "property \"interfaceId\": expected a string, got null")]
    [InlineData("{\"type\":\"AnnounceProvisioningDomains\",\"interfaceId\":3}", "AnnounceProvisioningDomains", "property \"interfaceId\": expected a string")]
    [InlineData("{\"type\":\"ConnectToAddress\",\"address\":\"example.com\",\"port\":80,\"pvdId\":null,\"connectionId\":\"c\"}", "ConnectToAddress", "property \"address\": expected an IP address as a string, like \"2001:db8::1\" or \"192.0.2.1\", got \"example.com\"")]
    [InlineData("{\"type\":\"ConnectToAddress\",\"address\":\"::1\",\"port\":\"80\",\"pvdId\":null,\"connectionId\":\"c\"}", "ConnectToAddress", "property \"port\": expected an integer")]
    [InlineData("{\"type\":\"GetConfigurationData\",\"pvdId\":null,\"elementType\":\"Dns\",\"identifier\":\"DnsServers\"}", "GetConfigurationData", "property \"elementType\": expected one of \"Ra\", \"Dhcpv6\", \"Dhcpv4\", \"Static\"")]
    [InlineData("{\"type\":\"GetConfigurationData\",\"pvdId\":null,\"elementType\":0,\"identifier\":\"DnsServers\"}", "GetConfigurationData", "property \"elementType\": expected one of")]
    [InlineData("{\"type\":\"AddressAnnouncement\",\"address\":\"::1\",\"pvdId\":\"p\",\"validLifetime\":-1,\"preferredLifetime\":null}", "AddressAnnouncement", "property \"validLifetime\": expected a number of seconds (0 or more), got -1")]
    [InlineData("{\"type\":\"AddressAnnouncement\",\"address\":\"::1\",\"pvdId\":\"p\",\"validLifetime\":\"1h\",\"preferredLifetime\":null}", "AddressAnnouncement", "property \"validLifetime\": expected a number of seconds, got a string")]
    [InlineData("{\"type\":\"ConfigurationData\",\"pvdId\":\"p\",\"elementType\":\"Ra\",\"identifier\":\"Mtu\",\"values\":[1500]}", "ConfigurationData", "property \"values[0]\": expected a list of strings")]
    [InlineData("{\"type\":\"AnnounceInterfaces\",\"all\":true}", "AnnounceInterfaces", "unknown property \"all\"; AnnounceInterfaces has no properties besides \"type\"")]
    public void A_malformed_line_is_an_error_that_names_the_problem(string line, string? type, string expected)
    {
        Assert.False(MifJson.TryDecode(Encoding.UTF8.GetBytes(line), out _, out var error));

        Assert.Equal(type, error.Type);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("System.", error.Message);
        Assert.DoesNotContain("MifActors.", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Theory]
    [InlineData("{\"type\":\"\u00ff\"}")]
    [InlineData("{\"type\":\"NoInterfaceAnnouncement\",\"interfaceId\":\"\u00ff\"}")]
    public void A_line_of_invalid_utf8_is_an_error_not_an_exception(string template)
    {
        // \u00ff stands for the byte 0xff, which is never valid UTF-8.
        var line = Encoding.Latin1.GetBytes(template);

        Assert.False(MifJson.TryDecode(line, out _, out var error));
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public void Encoding_a_type_outside_the_api_is_refused()
    {
        Assert.False(MifJson.CanEncode("hello"));
        Assert.Throws<ArgumentException>(() => MifJson.EncodeLine("hello"));
    }

    [Fact]
    public void A_document_with_deep_nesting_is_an_error_not_a_crash()
    {
        var line = "{\"type\":\"AnnounceInterfaces\",\"x\":" + new string('[', 100_000) + "}";

        Assert.False(MifJson.TryDecode(Encoding.UTF8.GetBytes(line), out _, out var error));
        Assert.Contains("not valid JSON", error.Message);
    }
}
