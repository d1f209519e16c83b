using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MifActors.Hocon.Internal;

/// <summary>Turns a resolved tree into System.Text.Json nodes or configuration key/value pairs.</summary>
internal static class Output
{
    /// <summary>Deep enough for any tree the resolver lets through; System.Text.Json's default of 64 is not.</summary>
    private const int MaxJsonDepth = 100_000;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        MaxDepth = MaxJsonDepth,
        SkipValidation = true,
        // Only an intermediate form: the text never reaches a browser, so nothing needs escaping beyond JSON's rules.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The tree as System.Text.Json nodes. It is written as UTF-8 JSON and parsed back, which is
    /// several times faster than building JsonObject instances one by one: System.Text.Json then
    /// materialises nodes only as they are read.
    /// </summary>
    public static JsonNode? ToJson(HValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, value);
        }

        return JsonNode.Parse(buffer.WrittenSpan, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
    }

    private static void Write(Utf8JsonWriter writer, HValue value)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw value.Error("the resolved configuration is nested too deeply to convert; flatten the structure");
        }

        switch (value)
        {
            case HObject obj:
                writer.WriteStartObject();
                for (var i = 0; i < obj.SlotCount; i++)
                {
                    if (obj.TryGetInline(i, out var kind, out var text))
                    {
                        writer.WritePropertyName(obj.KeyAt(i));
                        WriteScalar(writer, kind, text);
                        continue;
                    }

                    if (obj.ValueAt(i) is not { } v) continue;
                    writer.WritePropertyName(obj.KeyAt(i));
                    Write(writer, v);
                }

                writer.WriteEndObject();
                break;
            case HArray array:
                writer.WriteStartArray();
                foreach (var item in array.Items) Write(writer, item);
                writer.WriteEndArray();
                break;
            case HScalar scalar:
                WriteScalar(writer, scalar.Kind, scalar.Span);
                break;
            default:
                throw value.Error("internal error: an unresolved value reached the output");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, ScalarKind kind, ReadOnlySpan<char> text)
    {
        switch (kind)
        {
            case ScalarKind.String:
                writer.WriteStringValue(text);
                break;
            case ScalarKind.Boolean:
                writer.WriteBooleanValue(text is "true");
                break;
            case ScalarKind.Number:
                // The parser accepted exactly JSON's number grammar, so the text goes through as written.
                writer.WriteRawValue(text, skipInputValidation: true);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
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
