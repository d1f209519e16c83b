using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MifActors.Hocon.Tests.Support;

/// <summary>Compares JSON trees: object key order ignored, numbers compared by value.</summary>
internal static class JsonTree
{
    public static void Equal(JsonNode? expected, JsonNode? actual, string context = "")
    {
        var difference = FindDifference(expected, actual, "$");
        if (difference is not null)
        {
            Assert.Fail($"{context}{difference}\nexpected: {expected?.ToJsonString() ?? "null"}\nactual:   {actual?.ToJsonString() ?? "null"}");
        }
    }

    public static JsonNode? Parse(string json) => JsonNode.Parse(json);

    private static string? FindDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                return actual is null ? null : $"{path}: expected null, found {actual.ToJsonString()}";
            case JsonObject eo:
                if (actual is not JsonObject ao) return $"{path}: expected an object, found {Show(actual)}";
                foreach (var (key, value) in eo)
                {
                    if (!ao.ContainsKey(key)) return $"{path}: missing key \"{key}\"";
                    if (FindDifference(value, ao[key], $"{path}.{key}") is { } d) return d;
                }

                foreach (var (key, _) in ao)
                {
                    if (!eo.ContainsKey(key)) return $"{path}: unexpected key \"{key}\"";
                }

                return null;
            case JsonArray ea:
                if (actual is not JsonArray aa) return $"{path}: expected an array, found {Show(actual)}";
                if (ea.Count != aa.Count) return $"{path}: expected {ea.Count} elements, found {aa.Count}";
                for (var i = 0; i < ea.Count; i++)
                {
                    if (FindDifference(ea[i], aa[i], $"{path}[{i}]") is { } d) return d;
                }

                return null;
            default:
                if (actual is null or JsonObject or JsonArray) return $"{path}: expected {expected.ToJsonString()}, found {Show(actual)}";
                var ek = expected.GetValueKind();
                var ak = actual.GetValueKind();
                if (ek == JsonValueKind.Number && ak == JsonValueKind.Number)
                {
                    var e = decimal.Parse(expected.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    var a = decimal.Parse(actual.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    return e == a ? null : $"{path}: expected {e}, found {a}";
                }

                return ek == ak && expected.ToJsonString() == actual.ToJsonString()
                    ? null
                    : $"{path}: expected {expected.ToJsonString()}, found {actual.ToJsonString()}";
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
