using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MifActors.Actors;

/// <summary>What an actor system is made with.</summary>
public sealed class ActorSystemOptions
{
    /// <summary>The clock for timers, receive timeouts, Ask timeouts and supervision windows.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Settings under <c>mifactors:actor</c>; the project's reference configuration fills what is missing.</summary>
    public IConfiguration? Configuration { get; init; }

    /// <summary>Where actors log (<c>Context.GetLogger()</c>) and where failures and dead letters are logged.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Counts mailboxes at work so a test can wait until the system is idle (virtual time).</summary>
    internal bool TrackQuiescence { get; init; }
}
