using Akka.Actor;

namespace MifActors.Mif.Api.Socket;

/// <summary>
/// Why the actor system was shut down: the MIF API socket could not be served (its path is taken, its directory
/// cannot be written). A host agent whose subscribers cannot reach it is of no use, so the node stops and says why.
/// </summary>
public sealed class MifApiSocketUnavailable(string message) : CoordinatedShutdown.Reason
{
    /// <summary>What went wrong, naming the socket's path.</summary>
    public string Message { get; } = message;

    /// <summary>The process exit code a host should use: the node could not do its work.</summary>
    public override int ExitCode => 1;

    public override string ToString() => Message;
}
