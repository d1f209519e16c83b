using Microsoft.Extensions.Logging;

namespace MifActors.Actors.Internal;

/// <summary>Puts the actor's path in front of every message it logs.</summary>
internal sealed class ActorLogger(ILogger inner, ActorPath path) : ILogger
{
    private readonly string prefix = $"[{path}] ";

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        inner.Log(logLevel, eventId, state, exception, (s, e) => prefix + formatter(s, e));
    }
}
