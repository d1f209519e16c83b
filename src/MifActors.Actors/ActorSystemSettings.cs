using System.Globalization;
using Microsoft.Extensions.Configuration;
using MifActors.Hocon;

namespace MifActors.Actors;

/// <summary>The actor core's settings, read from <c>mifactors:actor</c>.</summary>
public sealed class ActorSystemSettings
{
    private ActorSystemSettings(int throughput, TimeSpan askTimeout, int logDeadLetters, DispatcherSettings dispatcher)
    {
        Dispatcher = dispatcher;
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

    /// <summary>Which threads run actor turns.</summary>
    public DispatcherSettings Dispatcher { get; }

    internal static ActorSystemSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("mifactors:actor");
        var throughput = ConfigValues.GetInt(section, "throughput", min: 1);
        var askTimeout = ConfigValues.GetDuration(section, "ask-timeout");
        var logDeadLetters = ConfigValues.GetInt(section, "log-dead-letters", min: 0);
        return new ActorSystemSettings(throughput, askTimeout, logDeadLetters, DispatcherSettings.From(section));
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
        return HoconUnits.TryParseDuration(text, out var value)
            ? value
            : throw new InvalidOperationException($"configuration key {section.Path}:{key} is \"{text}\"; expected a duration such as 500ms, 5s or 2m");
    }
}
