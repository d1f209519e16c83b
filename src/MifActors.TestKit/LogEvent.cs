using Microsoft.Extensions.Logging;
using MifActors.Actors;

namespace MifActors.TestKit;

/// <summary>A log entry of the system under test, published on its event stream by the TestKit's logger.</summary>
public sealed record LogEvent(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>
/// The TestKit's logging: every entry at or above the minimum level is published on the system's event stream
/// (for <see cref="EventFilter"/>) and written to the test's output when there is one.
/// </summary>
internal sealed class TestLoggerProvider(Action<string>? output, LogLevel minimum) : ILoggerProvider, ILoggerFactory
{
    private readonly Action<string>? output = output;
    private readonly LogLevel minimum = minimum;
    private ActorSystem? system;

    public void Attach(ActorSystem attached) => system = attached;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            try
            {
                owner.output?.Invoke($"[{logLevel}] {category}: {message}{(exception is null ? "" : " -- " + exception.GetType().Name + ": " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // xunit refuses output once the test has finished; late log lines from stopping actors are dropped.
            }

            owner.system?.EventStream.Publish(new LogEvent(logLevel, category, message, exception));
        }
    }
}
