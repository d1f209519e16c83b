using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using MifActors.Mif.Api.Json.Internal;

namespace MifActors.Mif.Api.Json;

/// <summary>
/// The MIF API messages as JSON, one object per line: the record's name as <c>type</c>, its properties in camelCase
/// (<c>{"type":"InterfaceAnnouncement","interfaceId":"wlan0","displayName":"Wi-Fi"}</c>), IP addresses and enums as
/// strings, lifetimes as seconds, absent optional values as <c>null</c>.
/// </summary>
/// <remarks>
/// Contracts are source-generated (no reflection-based serialization); <c>type</c> may come anywhere in the object.
/// Decoding is strict so that a typo is an error rather than a silently missing value: unknown properties, missing
/// non-nullable properties, <c>null</c> where a value is needed and numbers for enums are all rejected.
/// </remarks>
public static partial class MifJson
{
    private const string TypeProperty = "type";
    private const string Example = "{\"type\":\"AnnounceInterfaces\"}";
    private const string NotUtf8 = "a string is not valid UTF-8; lines are UTF-8 text";

    private static readonly Type[] MessageTypes =
    [
        typeof(AnnounceInterfaces), typeof(StopAnnouncingInterfaces), typeof(InterfaceAnnouncement), typeof(NoInterfaceAnnouncement),
        typeof(AnnounceProvisioningDomains), typeof(StopAnnouncingProvisioningDomains), typeof(ProvisioningDomainAnnouncement),
        typeof(NoProvisioningDomainAnnouncement), typeof(AnnounceConfigurationElements), typeof(ConfigurationElementAnnouncement),
        typeof(NoConfigurationElementAnnouncement), typeof(StopAnnouncingConfigurationElements), typeof(AnnounceAddresses),
        typeof(AddressAnnouncement), typeof(StopAnnouncingAddresses), typeof(NoAddressAnnouncement), typeof(GetConfigurationData),
        typeof(ConfigurationData), typeof(NoConfigurationData), typeof(TranslateName), typeof(StopTranslatingName),
        typeof(NameTranslation), typeof(NoNameTranslation), typeof(NameTranslationComplete), typeof(ConnectToPvd),
        typeof(ConnectToAddress), typeof(ConnectToAddressFromAddress), typeof(Connected), typeof(NotConnected),
        typeof(WantsToConnect), typeof(ConnectionIsIdle), typeof(ConnectionCanBeBroken), typeof(InterfaceIsGoingAway),
        typeof(InterfaceIsGoingUp), typeof(Error), typeof(MessagesLost),
    ];

    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = MifJsonContext.Default.WithAddedModifier(ShapeMessageContract),
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // The socket is not HTML: keep non-ASCII display names readable. Control characters (and so newlines) are
        // still escaped, which keeps one message on one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters =
        {
            new IPAddressJsonConverter(),
            new SecondsJsonConverter(),
            new JsonStringEnumConverter<ConfigurationElementType>(namingPolicy: null, allowIntegerValues: false),
            new JsonStringEnumConverter<ConfigurationInformation>(namingPolicy: null, allowIntegerValues: false),
            new JsonStringEnumConverter<NameTranslationFailure>(namingPolicy: null, allowIntegerValues: false),
            new JsonStringEnumConverter<ConnectionFailure>(namingPolicy: null, allowIntegerValues: false),
        },
    };

    // The writer, not the serializer options, decides the escaping when one is passed in.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = Options.Encoder };

    private static readonly FrozenDictionary<string, JsonTypeInfo> ByName =
        MessageTypes.ToFrozenDictionary(t => t.Name, t => Options.GetTypeInfo(t), StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, JsonTypeInfo> ByType =
        MessageTypes.ToFrozenDictionary(t => t, t => Options.GetTypeInfo(t));

    /// <summary>The names of the requests, for error messages: "AnnounceInterfaces, StopAnnouncingInterfaces, ...".</summary>
    internal static readonly string RequestNames =
        string.Join(", ", MessageTypes.Where(t => t.IsAssignableTo(typeof(IToMifApi))).Select(t => t.Name));

    /// <summary>Every message type the protocol carries, by its <c>type</c> name.</summary>
    public static IReadOnlyCollection<Type> Types => MessageTypes;

    /// <summary>True when <paramref name="message"/> is a message this codec can write.</summary>
    public static bool CanEncode(object message) => ByType.ContainsKey(message.GetType());

    /// <summary>Writes <paramref name="message"/> as one JSON object followed by a newline.</summary>
    /// <exception cref="ArgumentException">The message is not one of <see cref="Types"/>.</exception>
    public static void EncodeLine(object message, IBufferWriter<byte> output)
    {
        var info = ByType.GetValueOrDefault(message.GetType())
            ?? throw new ArgumentException($"{message.GetType().Name} is not a MIF API message", nameof(message));
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
            JsonSerializer.Serialize(writer, message, info);
        output.Write("\n"u8);
    }

    /// <summary><paramref name="message"/> as one line of UTF-8 JSON, newline included.</summary>
    public static byte[] EncodeLine(object message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        EncodeLine(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one line (without its newline) as a message. On failure <paramref name="error"/> says what is wrong
    /// and what was expected, naming the property.
    /// </summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out object? message, [NotNullWhen(false)] out MifJsonError? error)
    {
        message = null;
        if (FindType(utf8Line, out var type) is { } malformed)
        {
            error = new MifJsonError(type, malformed);
            return false;
        }
        if (!ByName.TryGetValue(type!, out var info))
        {
            error = new MifJsonError(type, $"unknown type \"{type}\"; requests are {RequestNames}");
            return false;
        }
        try
        {
            message = JsonSerializer.Deserialize(utf8Line, info)!;
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = new MifJsonError(type, $"{type}: {Explain(e, info)}");
            return false;
        }
        catch (InvalidOperationException)
        {
            // Strings are checked for UTF-8 only when they are read, and then this is what the reader throws.
            error = new MifJsonError(type, $"{type}: {NotUtf8}");
            return false;
        }
    }

    /// <summary>How a JSON token looks, for an error message.</summary>
    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        _ => token.ToString(),
    };

    // One pass over the line: it must be exactly one JSON object, with a string "type" among its own properties.
    private static string? FindType(ReadOnlySpan<byte> utf8Line, out string? type)
    {
        type = null;
        var reader = new Utf8JsonReader(utf8Line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read())
                return $"empty line; expected one JSON object per line, like {Example}";
            if (reader.TokenType != JsonTokenType.StartObject)
                return $"expected a JSON object like {Example}, got {Describe(reader.TokenType)}";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals(TypeProperty);
                reader.Read();
                if (isType && type is null)
                {
                    if (reader.TokenType != JsonTokenType.String)
                        return $"\"type\" must be a message name as a string, like {Example}; got {Describe(reader.TokenType)}";
                    type = reader.GetString();
                }
                reader.Skip();
            }
            // Anything after the object (a second object, stray text) is an error from the reader here.
            while (reader.Read())
            {
            }
        }
        catch (InvalidOperationException)
        {
            return NotUtf8;
        }
        catch (JsonException e)
        {
            return $"not valid JSON at byte {reader.BytesConsumed + 1}: {ReaderMessage(e)}; expected one JSON object per line, like {Example}";
        }
        return type is null ? $"no \"type\"; every line names its message, like {Example}" : null;
    }

    private static string ReaderMessage(JsonException e) =>
        PositionSuffix().Replace(e.Message, "").TrimEnd('.', ' ');

    // Turns System.Text.Json's messages, which name .NET types, into ones that name the JSON property and what it takes.
    private static string Explain(JsonException e, JsonTypeInfo info)
    {
        if (MissingRequired().Match(e.Message) is { Success: true } missing)
        {
            var names = missing.Groups[1].Value.Split(", ").Select(n => n.Trim('\''));
            return string.Join("; ", names.Select(n => $"missing property \"{n}\" ({Expected(info, n)})"));
        }

        var path = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        if (path is null)
            return ReaderMessage(e);
        var name = path.Split('[', '.')[0];

        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var known = PropertyNames(info);
            return known.Length == 0
                ? $"unknown property \"{path}\"; {info.Type.Name} has no properties besides \"type\""
                : $"unknown property \"{path}\"; {info.Type.Name} has {string.Join(", ", known.Select(k => $"\"{k}\""))}";
        }
        if (e.Message.Contains("doesn't allow", StringComparison.Ordinal))
            return $"property \"{path}\": expected {Expected(info, name)}, got null";
        if (e.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("transcode", StringComparison.Ordinal))
            return $"property \"{path}\": {NotUtf8}";
        // Our converters' own messages already say what they expected.
        if (e.Message.StartsWith("expected ", StringComparison.Ordinal))
            return $"property \"{path}\": {e.Message}";
        return $"property \"{path}\": expected {Expected(info, name)}";
    }

    private static string[] PropertyNames(JsonTypeInfo info) =>
        info.Properties.Where(p => p.Name != TypeProperty).Select(p => p.Name).ToArray();

    private static string Expected(JsonTypeInfo info, string property)
    {
        var type = info.Properties.FirstOrDefault(p => p.Name == property)?.PropertyType;
        if (type is null)
            return "a value";
        var underlying = Nullable.GetUnderlyingType(type);
        var orNull = underlying is not null || info.Properties.First(p => p.Name == property).IsGetNullable ? " or null" : "";
        type = underlying ?? type;
        if (type == typeof(string))
            return "a string" + orNull;
        if (type == typeof(int) || type == typeof(long))
            return "an integer" + orNull;
        if (type == typeof(TimeSpan))
            return SecondsJsonConverter.Expected + orNull;
        if (type == typeof(IPAddress))
            return IPAddressJsonConverter.Expected + orNull;
        if (type.IsEnum)
            return $"one of {string.Join(", ", Enum.GetNames(type).Select(n => $"\"{n}\""))}{orNull}";
        if (type == typeof(IReadOnlyList<string>))
            return "a list of strings";
        return "a value of type " + type.Name;
    }

    // Every message's contract: "type" first on write (and accepted, not unmapped, on read); a constructor parameter is
    // required unless it is nullable or has a default, so {"type":"AnnounceAddresses"} means "the selected PvD".
    private static void ShapeMessageContract(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !MessageTypes.Contains(info.Type))
            return;
        foreach (var property in info.Properties)
        {
            if (property.AssociatedParameter is { } parameter)
                property.IsRequired = !parameter.HasDefaultValue && !parameter.IsNullable;
        }
        var name = info.Type.Name;
        var type = info.CreateJsonPropertyInfo(typeof(string), TypeProperty);
        type.Get = _ => name;
        type.Order = int.MinValue;
        info.Properties.Insert(0, type);
    }

    [GeneratedRegex(@"missing required properties including: (.+?)\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"\s*(Path: \S+ \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex PositionSuffix();
}
