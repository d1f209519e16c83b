using System.Net;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Transport;

/// <summary>
/// Asks a node's transport actor to sign (RFC 4285-style option, docs/pmip-wire.md), checksum (RFC 6275 §6.1.1)
/// and send a Mobility Header message to a peer.
/// </summary>
public sealed record SendMobilityMessage(MobilityMessage Message, IPAddress Peer);

/// <summary>
/// A message from a peer that passed every check: authenticated under the peer's key, checksum right, well formed.
/// The transport actor sends it to its parent, the node actor.
/// </summary>
public sealed record MobilityMessageReceived(MobilityMessage Message, IPAddress Peer);

/// <summary>Asks a node's transport actor for its <see cref="MobilityCounterSnapshot"/>.</summary>
public sealed record GetMobilityCounters
{
    public static GetMobilityCounters Instance { get; } = new();
}
