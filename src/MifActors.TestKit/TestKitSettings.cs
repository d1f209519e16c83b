using System.Globalization;
using Microsoft.Extensions.Configuration;
using MifActors.Actors;
using MifActors.Hocon;

namespace MifActors.TestKit;

/// <summary>The TestKit's timeouts, read from <c>mifactors:testkit</c> in the system's configuration.</summary>
public sealed class TestKitSettings
{
    internal TestKitSettings(ActorSystem system)
    {
        var section = system.Configuration.GetSection("mifactors:testkit");
        TimeFactor = double.Parse(Required(section, "time-factor"), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (TimeFactor <= 0)
        {
            throw new InvalidOperationException($"mifactors:testkit:time-factor is {TimeFactor}; it must be positive");
        }

        SingleExpectDefault = Dilate(Duration(section, "single-expect-default"));
        ExpectNoMessageDefault = Dilate(Duration(section, "expect-no-message-default"));
    }

    /// <summary>Every TestKit wait is multiplied by this (raise it on slow machines).</summary>
    public double TimeFactor { get; }

    public TimeSpan SingleExpectDefault { get; }

    public TimeSpan ExpectNoMessageDefault { get; }

    public TimeSpan Dilate(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));

    private static string Required(IConfigurationSection section, string key) =>
        section[key] ?? throw new InvalidOperationException($"configuration key {section.Path}:{key} is missing");

    private static TimeSpan Duration(IConfigurationSection section, string key)
    {
        var text = Required(section, key);
        return HoconUnits.TryParseDuration(text, out var value)
            ? value
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected a duration such as 3s");
    }
}
