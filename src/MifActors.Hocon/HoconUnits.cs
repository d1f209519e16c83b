using System.Globalization;

namespace MifActors.Hocon;

/// <summary>
/// HOCON's duration and size formats (HOCON.md, "Duration format", "Size in bytes format"):
/// a number, optional whitespace, and a unit, such as <c>10s</c>, <c>500 ms</c>, <c>2m</c>, <c>1 MiB</c>.
/// </summary>
public static class HoconUnits
{
    /// <summary>
    /// Parses a duration. Units: ns, us, ms, s, m, h, d and their long forms (<c>millis</c>,
    /// <c>seconds</c>, ...). A bare number is milliseconds, as in lightbend's getDuration; text
    /// with a ':' is read as a .NET TimeSpan (<c>00:00:05</c>).
    /// </summary>
    /// <exception cref="FormatException">The text is not a duration; the message names the accepted units.</exception>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParseDuration(text, out var value)) return value;
        throw new FormatException($"'{text}' is not a duration: write a number and a unit, such as 10s, 500 ms, 2m, 1h or 1d " +
                                  "(units: ns, us, ms, s, m, h, d)");
    }

    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (text is null) return false;
        var s = text.Trim();
        if (s.Contains(':')) return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value);
        if (!SplitNumber(s, out var number, out var unit)) return false;
        double ticksPerUnit = unit switch
        {
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.TicksPerMillisecond,
            "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" => 0.01,
            "us" or "micro" or "micros" or "microsecond" or "microseconds" => TimeSpan.TicksPerMicrosecond,
            "s" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "m" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "h" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            _ => -1,
        };
        if (ticksPerUnit < 0) return false;
        var ticks = Math.Round(number * ticksPerUnit);
        if (double.IsNaN(ticks) || ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>
    /// Parses a size in bytes. Powers of ten: kB, MB, GB, TB, PB, EB (and kilobytes, ...); powers of
    /// two: K/Ki/KiB, M/Mi/MiB, G/Gi/GiB, T/Ti/TiB, P/Pi/PiB, E/Ei/EiB (and kibibytes, ...).
    /// A bare number is bytes.
    /// </summary>
    /// <exception cref="FormatException">The text is not a size, or it does not fit in a long.</exception>
    public static long ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParseSize(text, out var value)) return value;
        throw new FormatException($"'{text}' is not a size in bytes: write a number and a unit, such as 512, 64 kB, 10 MiB or 1G " +
                                  "(units: B, kB, KiB, MB, MiB, GB, GiB, TB, TiB, PB, PiB, EB, EiB)");
    }

    public static bool TryParseSize(string? text, out long value)
    {
        value = 0;
        if (text is null || !SplitNumber(text.Trim(), out var number, out var unit)) return false;
        var multiplier = SizeMultiplier(unit);
        if (multiplier < 0) return false;
        var bytes = number * multiplier;
        if (double.IsNaN(bytes) || bytes < long.MinValue || bytes >= 9.2233720368547758e18) return false;
        value = (long)Math.Round(bytes);
        return true;
    }

    private static double SizeMultiplier(string unit)
    {
        switch (unit)
        {
            case "" or "B" or "b" or "byte" or "bytes": return 1;
            case "kB" or "kilobyte" or "kilobytes": return 1e3;
            case "K" or "k" or "Ki" or "KiB" or "kibibyte" or "kibibytes": return 1024d;
            case "MB" or "megabyte" or "megabytes": return 1e6;
            case "M" or "m" or "Mi" or "MiB" or "mebibyte" or "mebibytes": return Math.Pow(1024, 2);
            case "GB" or "gigabyte" or "gigabytes": return 1e9;
            case "G" or "g" or "Gi" or "GiB" or "gibibyte" or "gibibytes": return Math.Pow(1024, 3);
            case "TB" or "terabyte" or "terabytes": return 1e12;
            case "T" or "t" or "Ti" or "TiB" or "tebibyte" or "tebibytes": return Math.Pow(1024, 4);
            case "PB" or "petabyte" or "petabytes": return 1e15;
            case "P" or "p" or "Pi" or "PiB" or "pebibyte" or "pebibytes": return Math.Pow(1024, 5);
            case "EB" or "exabyte" or "exabytes": return 1e18;
            case "E" or "e" or "Ei" or "EiB" or "exbibyte" or "exbibytes": return Math.Pow(1024, 6);
            default: return -1;
        }
    }

    private static bool SplitNumber(string s, out double number, out string unit)
    {
        var i = 0;
        if (i < s.Length && s[i] is '-' or '+') i++;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
        unit = s[i..].Trim();
        return double.TryParse(s.AsSpan(0, i), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
