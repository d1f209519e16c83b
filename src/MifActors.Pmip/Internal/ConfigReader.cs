using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace MifActors.Pmip.Internal;

/// <summary>
/// Reads required settings from an Akka <see cref="Config"/> with errors that name the key and what it holds, in the
/// form <c>mifactors.pmip.udp-port: expected a port number (1-65535), got "abc"</c>. Durations in HOCON's units.
/// </summary>
internal sealed class ConfigReader(Config config, string path)
{
    public string Path => path;

    public string Key(string key) => $"{path}.{key}";

    public ConfigReader Section(string key) => new(config, Key(key));

    public string GetString(string key)
    {
        var value = Value(key);
        return value.IsString() ? value.GetString() : throw Error(key, "expected a string", value.ToString());
    }

    public int GetInt(string key, int min, int max = int.MaxValue, string? what = null)
    {
        var text = Text(key);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Error(key, what ?? $"expected a whole number from {min} to {max}", text);
    }

    public bool GetBool(string key)
    {
        var text = Text(key);
        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => throw Error(key, "expected true or false", text),
        };
    }

    public TimeSpan GetDuration(string key, bool positive = false)
    {
        var text = Text(key);
        TimeSpan value;
        try
        {
            value = Value(key).GetTimeSpan();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ConfigurationException or ArgumentException)
        {
            throw Error(key, "expected a duration such as 500ms, 5s or 2m", text);
        }

        return !positive || value > TimeSpan.Zero ? value : throw Error(key, "expected a duration longer than zero", text);
    }

    /// <summary>A HOCON list (<c>[a, b]</c>) or a comma-separated string, as its items' text.</summary>
    public IReadOnlyList<string> GetList(string key)
    {
        var value = Value(key);
        // An empty list is no array to Akka's HoconValue.IsArray; its element still is one.
        if (value.Values.Any(v => v.IsArray())) return [.. value.GetArray().Select(v => v.ToString().Trim('"').Trim()).Where(v => v.Length > 0)];
        if (value.IsString())
            return value.GetString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        throw Error(key, "expected a list such as [a, b]", value.ToString());
    }

    /// <summary>The keys of an object (<c>{ a { ... }, b { ... } }</c>), in their order; none when it is empty.</summary>
    public IReadOnlyList<string> GetKeys(string key)
    {
        var value = Value(key);
        if (!value.IsObject()) throw Error(key, "expected an object { ... }", value.ToString());
        return [.. value.GetObject().Items.Keys];
    }

    public bool Has(string key) => config.HasPath(Key(key));

    public InvalidOperationException Error(string key, string expected, string got) =>
        new($"{Key(key)}: {expected}, got \"{got}\"");

    private HoconValue Value(string key)
    {
        var full = Key(key);
        HoconValue? value;
        try
        {
            value = config.HasPath(full) ? config.GetValue(full) : null;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException)
        {
            throw new InvalidOperationException($"{full}: cannot be read ({e.Message})", e);
        }

        return value is null || value.Values.Count == 0
            ? throw new InvalidOperationException($"{full}: missing (its default belongs in hocon/pmip.conf)")
            : value;
    }

    private string Text(string key)
    {
        var value = Value(key);
        return value.IsString() ? value.GetString() : value.ToString();
    }
}
