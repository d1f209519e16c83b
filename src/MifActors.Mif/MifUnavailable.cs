using Akka.Actor;

namespace MifActors.Mif;

/// <summary>
/// Why the actor system was shut down: a part of the host side that subscribers need could not start (the network
/// backend without its privileges or namespace, the MIF API socket whose path is taken). A host agent that cannot
/// see the network or be reached is of no use, so the node stops and says why instead of running half.
/// </summary>
public sealed class MifUnavailable(string message) : CoordinatedShutdown.Reason
{
    /// <summary>What could not start and why, as a sentence.</summary>
    public string Message { get; } = message;

    /// <summary>The process exit code a host should use: the node could not do its work.</summary>
    public override int ExitCode => 1;

    public override string ToString() => Message;
}
