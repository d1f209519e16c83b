using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace MifActors.Hocon.Internal;

/// <summary>Turns a resolved tree into System.Text.Json nodes or configuration key/value pairs.</summary>
internal static class Output
{
    public static JsonNode? ToJson(HValue value)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw value.Error("the resolved configuration is nested too deeply to convert; flatten the structure");
        }

        switch (value)
        {
            case HObject obj:
                var jsonObject = new JsonObject();
                for (var i = 0; i < obj.SlotCount; i++)
                {
                    if (obj.ValueAt(i) is { } v) jsonObject[obj.KeyAt(i)] = ToJson(v);
                }

                return jsonObject;
            case HArray array:
                var jsonArray = new JsonArray();
                foreach (var item in array.Items) jsonArray.Add(ToJson(item));
                return jsonArray;
            case HScalar scalar:
                return scalar.Kind switch
                {
                    ScalarKind.String => JsonValue.Create(scalar.Text),
                    ScalarKind.Boolean => JsonValue.Create(scalar.Text == "true"),
                    ScalarKind.Number => Number(scalar.Text),
                    _ => null,
                };
            default:
                throw value.Error("internal error: an unresolved value reached the output");
        }
    }

    private static JsonValue Number(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && !text.Contains('e') && !text.Contains('E'))
        {
            return JsonValue.Create(m);
        }

        return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The Microsoft.Extensions.Configuration view: <c>a:b:0</c> keys, values as written
    /// (<c>1.0</c> stays <c>1.0</c>, <c>5s</c> stays <c>5s</c>), null for null and for empty objects or arrays.
    /// </summary>
    public static Dictionary<string, string?> Flatten(HValue root)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var stack = new Stack<(string Prefix, HValue Value)>();
        stack.Push((string.Empty, root));
        while (stack.Count > 0)
        {
            var (prefix, value) = stack.Pop();
            switch (value)
            {
                case HObject obj:
                    if (obj.Count == 0 && prefix.Length > 0) data[prefix] = null;
                    for (var i = obj.SlotCount - 1; i >= 0; i--)
                    {
                        if (obj.ValueAt(i) is { } v) stack.Push((Join(prefix, obj.KeyAt(i)), v));
                    }

                    break;
                case HArray array:
                    if (array.Items.Count == 0 && prefix.Length > 0) data[prefix] = null;
                    for (var i = array.Items.Count - 1; i >= 0; i--)
                    {
                        stack.Push((Join(prefix, i.ToString(CultureInfo.InvariantCulture)), array.Items[i]));
                    }

                    break;
                case HScalar scalar:
                    if (prefix.Length > 0) data[prefix] = scalar.Kind == ScalarKind.Null ? null : scalar.Text;
                    break;
            }
        }

        return data;
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + ":" + key;
}
