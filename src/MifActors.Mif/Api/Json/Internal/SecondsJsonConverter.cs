using System.Text.Json;
using System.Text.Json.Serialization;

namespace MifActors.Mif.Api.Json.Internal;

/// <summary>A lifetime as a number of seconds (<c>3600</c>, <c>1.5</c>), as RAs and DHCP state them.</summary>
internal sealed class SecondsJsonConverter : JsonConverter<TimeSpan>
{
    public const string Expected = "a number of seconds";

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonException($"expected {Expected}, got {MifJson.Describe(reader.TokenType)}");
        var seconds = reader.GetDouble();
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds)
            throw new JsonException($"expected {Expected} (0 or more), got {seconds}");
        return TimeSpan.FromSeconds(seconds);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        // Whole seconds, the common case, as an integer: "3600" rather than "3600.0".
        if (value.Ticks % TimeSpan.TicksPerSecond == 0)
            writer.WriteNumberValue(value.Ticks / TimeSpan.TicksPerSecond);
        else
            writer.WriteNumberValue(value.TotalSeconds);
    }
}
