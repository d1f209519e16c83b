using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MifActors.Persistence;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.State.Internal;

/// <summary>
/// The JSON form of the MN actors' events: under their <see cref="PersistentManifestAttribute"/> names, with
/// addresses as text (System.Text.Json cannot round-trip <see cref="IPAddress"/> or <see cref="FlowAddress"/> itself).
/// </summary>
internal static class MobilityEventSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new IPAddressConverter(), new FlowAddressConverter() },
    };

    private static readonly FrozenDictionary<string, Type> Types = typeof(MobilityEventSerializer).Assembly.GetTypes()
        .Select(t => (Type: t, Attribute: t.GetCustomAttribute<PersistentManifestAttribute>()))
        .Where(p => p.Attribute is not null && p.Attribute.Manifest.StartsWith("pmip.", StringComparison.Ordinal))
        .ToFrozenDictionary(p => p.Attribute!.Manifest, p => p.Type);

    public static MobilityEventEnvelope Wrap(object @event)
    {
        var manifest = @event.GetType().GetCustomAttribute<PersistentManifestAttribute>()?.Manifest
            ?? throw new InvalidOperationException($"{@event.GetType().Name} has no [PersistentManifest]; every PMIP event needs one");
        return new MobilityEventEnvelope(manifest, JsonSerializer.Serialize(@event, @event.GetType(), Options));
    }

    public static object Unwrap(MobilityEventEnvelope envelope) =>
        Types.TryGetValue(envelope.Manifest, out var type)
            ? JsonSerializer.Deserialize(envelope.Json, type, Options) ?? throw new JsonException($"event {envelope.Manifest} is JSON null")
            : throw new InvalidOperationException($"no PMIP event type has the manifest \"{envelope.Manifest}\"");

    private sealed class IPAddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPAddress.TryParse(reader.GetString(), out var address) ? address : throw new JsonException($"not an IP address: {reader.GetString()}");

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class FlowAddressConverter : JsonConverter<FlowAddress>
    {
        public override FlowAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? "";
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0) return IPAddress.TryParse(text, out var v4) ? FlowAddress.IPv4(v4) : throw new JsonException($"not a flow address: {text}");
            return IPAddress.TryParse(text[..slash], out var v6) && byte.TryParse(text[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var length)
                ? FlowAddress.Prefix(v6, length)
                : throw new JsonException($"not a flow prefix: {text}");
        }

        public override void Write(Utf8JsonWriter writer, FlowAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}

/// <summary>One PMIP event in the journal: its manifest and its JSON.</summary>
[PersistentManifest("pmip.event.v1")]
internal sealed record MobilityEventEnvelope(string Manifest, string Json);
