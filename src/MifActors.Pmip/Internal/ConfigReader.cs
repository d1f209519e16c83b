using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MifActors.Pmip.Internal;

/// <summary>
/// Reads required settings with errors that name the key. Durations are HOCON-style (500ms, 5s, 2m), as the actor
/// core reads them; its reader is internal, so this is a copy until the HOCON module exposes one.
/// </summary>
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
        var text = GetString(section, key).Trim();
        var split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.')) split++;
        double? unit = text[split..].Trim() switch
        {
            "ms" or "millis" or "milliseconds" => TimeSpan.TicksPerMillisecond,
            "s" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "m" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "h" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            _ => null,
        };
        return unit is { } ticks && double.TryParse(text[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? TimeSpan.FromTicks((long)Math.Round(number * ticks))
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected a duration such as 500ms, 5s or 2m");
    }
}
