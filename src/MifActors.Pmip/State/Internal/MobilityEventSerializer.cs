using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MifActors.Persistence;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.State.Internal;

/// <summary>
/// The JSON form of the MN actors' events: under their <see cref="PersistentManifestAttribute"/> names, with
/// addresses as text (System.Text.Json cannot round-trip <see cref="IPAddress"/> or <see cref="FlowAddress"/> itself).
/// A node recovers by parsing every event of every MN, so the common values are written short: a MAG as its address,
/// an HNP as <c>prefix/length</c>, a PHB id as its number (by default they would be objects, the PHB id with its
/// computed properties too).
/// </summary>
internal static class MobilityEventSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new IPAddressConverter(), new FlowAddressConverter(), new MagAddressConverter(), new HomeNetworkPrefixConverter(), new PhbIdConverter() },
    };

    // What events inside the envelopes of earlier builds were written with.
    private static readonly JsonSerializerOptions EnvelopeOptions = new(JsonSerializerDefaults.General)
    {
        Converters = { new IPAddressConverter(), new FlowAddressConverter() },
    };

    private static readonly FrozenDictionary<string, Type> Types = typeof(MobilityEventSerializer).Assembly.GetTypes()
        .Select(t => (Type: t, Attribute: t.GetCustomAttribute<PersistentManifestAttribute>()))
        .Where(p => p.Attribute is not null && p.Attribute.Manifest.StartsWith("pmip.", StringComparison.Ordinal))
        .ToFrozenDictionary(p => p.Attribute!.Manifest, p => p.Type);

    private static readonly ConcurrentDictionary<Type, string> Manifests = new();

    private static string EnvelopeManifest => "pmip.event.v1";

    /// <summary>The event's manifest and its UTF-8 JSON, as the journal stores them.</summary>
    public static (string Manifest, byte[] Payload) Serialize(object @event) =>
        (ManifestOf(@event), JsonSerializer.SerializeToUtf8Bytes(@event, @event.GetType(), Options));

    /// <summary>
    /// Reads one stored event; the persistence id and sequence number name the row in the error. Also reads the
    /// envelopes (<c>pmip.event.v1</c>) that journals written before the direct write path hold.
    /// </summary>
    public static object Deserialize(string persistenceId, long sequenceNr, string manifest, ReadOnlySpan<byte> payload)
    {
        try
        {
            if (manifest == EnvelopeManifest)
            {
                var envelope = JsonSerializer.Deserialize<MobilityEventEnvelope>(payload) ?? throw new JsonException("the envelope is JSON null");
                return Deserialize(envelope.Manifest, envelope.Json);
            }

            return Types.TryGetValue(manifest, out var type)
                ? JsonSerializer.Deserialize(payload, type, Options) ?? throw new JsonException($"event {manifest} is JSON null")
                : throw new JsonException($"no PMIP event type has the manifest \"{manifest}\"");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"cannot recover persistence id \"{persistenceId}\", event {sequenceNr} ({manifest}): {e.Message}", e);
        }
    }

    private static object Deserialize(string manifest, string json) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(json, type, EnvelopeOptions) ?? throw new JsonException($"event {manifest} is JSON null")
            : throw new JsonException($"no PMIP event type has the manifest \"{manifest}\"");

    private static string ManifestOf(object @event) =>
        Manifests.GetOrAdd(@event.GetType(), static t => t.GetCustomAttribute<PersistentManifestAttribute>()?.Manifest
            ?? throw new InvalidOperationException($"{t.Name} has no [PersistentManifest]; every PMIP event needs one"));

    private sealed class IPAddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPAddress.TryParse(reader.GetString(), out var address) ? address : throw new JsonException($"not an IP address: {reader.GetString()}");

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class MagAddressConverter : JsonConverter<MagAddress>
    {
        public override MagAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPAddress.TryParse(reader.GetString(), out var address) ? new MagAddress(address) : throw new JsonException($"not a MAG address: {reader.GetString()}");

        public override void Write(Utf8JsonWriter writer, MagAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.Address.ToString());
    }

    private sealed class HomeNetworkPrefixConverter : JsonConverter<HomeNetworkPrefix>
    {
        public override HomeNetworkPrefix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? "";
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && IPAddress.TryParse(text.AsSpan(0, slash), out var prefix)
                && byte.TryParse(text.AsSpan(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var length)
                ? new HomeNetworkPrefix(prefix, length)
                : throw new JsonException($"not a home network prefix: {text}");
        }

        public override void Write(Utf8JsonWriter writer, HomeNetworkPrefix value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class PhbIdConverter : JsonConverter<PhbId>
    {
        public override PhbId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetUInt16());

        public override void Write(Utf8JsonWriter writer, PhbId value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
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

/// <summary>
/// How journals written before the direct write path hold a PMIP event: its manifest and its JSON, wrapped once more.
/// Read on recovery, never written.
/// </summary>
internal sealed record MobilityEventEnvelope(string Manifest, string Json);
