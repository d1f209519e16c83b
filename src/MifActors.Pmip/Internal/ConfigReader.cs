using System.Globalization;
using Microsoft.Extensions.Configuration;
using MifActors.Hocon;

namespace MifActors.Pmip.Internal;

/// <summary>Reads required settings with errors that name the key; durations in HOCON's units (500ms, 5s, 2m).</summary>
internal static class ConfigReader
{
    public static string GetString(IConfigurationSection section, string key) =>
        section[key] ?? throw new InvalidOperationException($"configuration key {section.Path}:{key} is missing (it belongs in hocon/reference.conf)");

    public static int GetInt(IConfigurationSection section, string key, int min, int max = int.MaxValue)
    {
        var text = GetString(section, key);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected a whole number from {min} to {max}");
    }

    public static bool GetBool(IConfigurationSection section, string key)
    {
        var text = GetString(section, key);
        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected true or false"),
        };
    }

    public static TimeSpan GetDuration(IConfigurationSection section, string key)
    {
        var text = GetString(section, key);
        return HoconUnits.TryParseDuration(text, out var value)
            ? value
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected a duration such as 500ms, 5s or 2m");
    }
}
