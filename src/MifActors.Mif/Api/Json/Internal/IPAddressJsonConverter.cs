using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MifActors.Mif.Api.Json.Internal;

/// <summary>An IP address as its text form (<c>"2001:db8::1"</c>, <c>"192.0.2.1"</c>, <c>"fe80::1%2"</c>).</summary>
internal sealed class IPAddressJsonConverter : JsonConverter<IPAddress>
{
    public const string Expected = "an IP address as a string, like \"2001:db8::1\" or \"192.0.2.1\"";

    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"expected {Expected}, got {MifJson.Describe(reader.TokenType)}");
        var text = reader.GetString()!;
        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new JsonException($"expected {Expected}, got \"{text}\"");
    }

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
