using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MifActors.Actors;

/// <summary>The actor core's settings, read from <c>mifactors:actor</c>.</summary>
public sealed class ActorSystemSettings
{
    private ActorSystemSettings(int throughput, TimeSpan askTimeout, int logDeadLetters)
    {
        Throughput = throughput;
        AskTimeout = askTimeout;
        LogDeadLetters = logDeadLetters;
    }

    /// <summary>Messages an actor processes per mailbox turn before it yields its thread.</summary>
    public int Throughput { get; }

    /// <summary>The Ask timeout used where the caller gives none.</summary>
    public TimeSpan AskTimeout { get; }

    /// <summary>How many dead letters are logged; all of them are published on the event stream regardless.</summary>
    public int LogDeadLetters { get; }

    internal static ActorSystemSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("mifactors:actor");
        var throughput = ConfigValues.GetInt(section, "throughput", min: 1);
        var askTimeout = ConfigValues.GetDuration(section, "ask-timeout");
        var logDeadLetters = ConfigValues.GetInt(section, "log-dead-letters", min: 0);
        return new ActorSystemSettings(throughput, askTimeout, logDeadLetters);
    }
}

/// <summary>Reads required settings with errors that name the key and what was wrong with it.</summary>
internal static class ConfigValues
{
    public static string GetString(IConfigurationSection section, string key) =>
        section[key] ?? throw new InvalidOperationException($"configuration key {section.Path}:{key} is missing (it belongs in hocon/reference.conf)");

    public static int GetInt(IConfigurationSection section, string key, int min)
    {
        var text = GetString(section, key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected a whole number of at least {min}");
        }

        return value;
    }

    public static TimeSpan GetDuration(IConfigurationSection section, string key)
    {
        var text = GetString(section, key);
        return Durations.TryParse(text, out var value)
            ? value
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected a duration such as 500ms, 5s or 2m");
    }
}

/// <summary>HOCON-style durations: a number and a unit (ns, us, ms, s, m, h, d and their long names).</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var span = text.AsSpan().Trim();
        var split = 0;
        while (split < span.Length && (char.IsAsciiDigit(span[split]) || span[split] is '.' or '-' or '+')) split++;
        if (!double.TryParse(span[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        var unit = span[split..].Trim().ToString();
        double? ticksPerUnit = unit switch
        {
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.TicksPerMillisecond,
            "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" => 0.01,
            "us" or "micro" or "micros" or "microsecond" or "microseconds" => 10,
            "s" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "m" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "h" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            _ => null,
        };
        if (ticksPerUnit is null) return false;
        value = TimeSpan.FromTicks((long)Math.Round(number * ticksPerUnit.Value));
        return true;
    }
}
