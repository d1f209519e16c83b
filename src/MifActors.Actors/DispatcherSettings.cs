using Microsoft.Extensions.Configuration;

namespace MifActors.Actors;

/// <summary>Which threads run actor turns.</summary>
public enum DispatcherType
{
    /// <summary>The system's own worker threads (see <c>docs/actors.md</c>).</summary>
    Fixed,

    /// <summary>The shared .NET thread pool.</summary>
    ThreadPool,
}

/// <summary>The dispatcher's settings, read from <c>mifactors:actor:dispatcher</c>.</summary>
public sealed class DispatcherSettings
{
    private DispatcherSettings(DispatcherType type, int threads, TimeSpan idleSpin, TimeSpan starvationCheck, int maxExtraThreads)
    {
        Type = type;
        Threads = threads;
        IdleSpin = idleSpin;
        StarvationCheck = starvationCheck;
        MaxExtraThreads = maxExtraThreads;
    }

    public DispatcherType Type { get; }

    /// <summary>Worker threads of the fixed dispatcher (the configured 0 already replaced by the processor count).</summary>
    public int Threads { get; }

    /// <summary>How long an idle worker keeps looking for work before it parks.</summary>
    public TimeSpan IdleSpin { get; }

    /// <summary>How long every worker may sit in one turn while work waits before a thread is added; zero: never.</summary>
    public TimeSpan StarvationCheck { get; }

    /// <summary>The most threads added for blocked workers at one time.</summary>
    public int MaxExtraThreads { get; }

    internal static DispatcherSettings From(IConfigurationSection actor)
    {
        var section = actor.GetSection("dispatcher");
        var typeText = ConfigValues.GetString(section, "type");
        var type = typeText switch
        {
            "fixed" => DispatcherType.Fixed,
            "thread-pool" => DispatcherType.ThreadPool,
            _ => throw new InvalidOperationException($"configuration key {section.Path}:type is \"{typeText}\"; expected fixed or thread-pool"),
        };
        var threads = ConfigValues.GetInt(section, "threads", min: 0);
        var idleSpin = ConfigValues.GetDuration(section, "idle-spin");
        var starvationCheck = ConfigValues.GetDuration(section, "starvation-check");
        var maxExtraThreads = ConfigValues.GetInt(section, "max-extra-threads", min: 0);
        return new DispatcherSettings(type, threads == 0 ? Environment.ProcessorCount : threads, idleSpin, starvationCheck, maxExtraThreads);
    }
}
