using Microsoft.Extensions.Logging;
using MifActors.Actors;

namespace MifActors.TestKit;

/// <summary>
/// Expects log events or dead letters while a block runs: <c>EventFilter.Error&lt;MyException&gt;().Expect(1, () =&gt; ...)</c>.
/// </summary>
public sealed class EventFilter
{
    private readonly TestKit kit;

    internal EventFilter(TestKit kit) => this.kit = kit;

    /// <summary>Error log entries, optionally with an exception of <typeparamref name="TException"/> and a message containing <paramref name="contains"/>.</summary>
    public EventExpectation Error<TException>(string? contains = null)
        where TException : Exception =>
        Log(LogLevel.Error, e => e.Exception is TException, contains, $"error with {typeof(TException).Name}");

    public EventExpectation Error(string? contains = null) => Log(LogLevel.Error, _ => true, contains, "error");

    public EventExpectation Warning(string? contains = null) => Log(LogLevel.Warning, _ => true, contains, "warning");

    public EventExpectation Info(string? contains = null) => Log(LogLevel.Information, _ => true, contains, "info");

    /// <summary>Dead letters carrying a <typeparamref name="TMessage"/>.</summary>
    public EventExpectation DeadLetter<TMessage>(Predicate<TMessage>? predicate = null) =>
        new(kit, typeof(DeadLetter), e => e is DeadLetter d && d.Message is TMessage m && (predicate is null || predicate(m)), $"dead letter of {typeof(TMessage).Name}");

    /// <summary>Messages some actor did not handle.</summary>
    public EventExpectation Unhandled<TMessage>() =>
        new(kit, typeof(UnhandledMessage), e => e is UnhandledMessage u && u.Message is TMessage, $"unhandled {typeof(TMessage).Name}");

    private EventExpectation Log(LogLevel level, Predicate<LogEvent> match, string? contains, string what) =>
        new(
            kit,
            typeof(LogEvent),
            e => e is LogEvent log && log.Level == level && match(log)
                && (contains is null || log.Message.Contains(contains, StringComparison.Ordinal) || (log.Exception?.Message.Contains(contains, StringComparison.Ordinal) ?? false)),
            contains is null ? what : $"{what} containing \"{contains}\"");
}

/// <summary>One expectation of events; <see cref="Expect"/> runs a block and waits for them.</summary>
public sealed class EventExpectation
{
    private readonly TestKit kit;
    private readonly Type channel;
    private readonly Predicate<object> match;
    private readonly string description;

    internal EventExpectation(TestKit kit, Type channel, Predicate<object> match, string description)
    {
        this.kit = kit;
        this.channel = channel;
        this.match = match;
        this.description = description;
    }

    /// <summary>Runs <paramref name="action"/> and waits until at least <paramref name="count"/> matching events were published.</summary>
    public void Expect(int count, Action action, TimeSpan? max = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        var probe = kit.CreateTestProbe();
        kit.Sys.EventStream.Subscribe(probe, channel);
        try
        {
            action();
            var limit = max is { } m ? kit.Settings.Dilate(m) : kit.Settings.SingleExpectDefault;
            var deadline = DateTime.UtcNow + limit;
            var seen = 0;
            while (seen < count)
            {
                var left = deadline - DateTime.UtcNow;
                var next = probe.ReceiveOne(left < TimeSpan.Zero ? TimeSpan.Zero : left);
                if (next is null)
                {
                    throw new AssertionFailedException($"expected {count} {description} event(s) within {limit.TotalMilliseconds:0} ms, saw {seen}");
                }

                if (match(next)) seen++;
            }
        }
        finally
        {
            kit.Sys.EventStream.Unsubscribe(probe);
        }
    }

    /// <summary>Runs <paramref name="action"/> and returns its result, expecting the events as <see cref="Expect"/> does.</summary>
    public T Expect<T>(int count, Func<T> action, TimeSpan? max = null)
    {
        T result = default!;
        Expect(count, () => { result = action(); }, max);
        return result;
    }
}
