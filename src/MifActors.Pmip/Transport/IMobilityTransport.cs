using System.Net;

namespace MifActors.Pmip.Transport;

/// <summary>
/// Carries Mobility Header datagrams between nodes: UDP on port 5436 (<see cref="UdpMobilityTransport"/>), raw IPv6
/// with next header 135 (<see cref="RawIPv6MobilityTransport"/>), or an in-memory network for deterministic tests
/// (<see cref="InMemoryMobilityNetwork"/>). It moves bytes only; the
/// node's transport actor signs and checksums them, and its receiver verifies and decodes them.
/// </summary>
public interface IMobilityTransport : IDisposable
{
    /// <summary>This node's address: the source of what it sends, and the key peers know it by.</summary>
    IPAddress LocalAddress { get; }

    /// <summary>
    /// Starts delivering received datagrams to <paramref name="receive"/> (the peer's address and port, bytes; port 0
    /// where the transport has none, as raw IPv6). A later call replaces
    /// the receiver, which is what a restarted transport actor does. The bytes are the callee's to keep. The receiver
    /// runs on the transport's own thread (the node's checks run there, not in an actor), so it must be thread-safe.
    /// </summary>
    void Start(Action<IPEndPoint, byte[]> receive);

    /// <summary>Sends one datagram to <paramref name="peer"/>; never blocks for long and never throws for a lost packet.</summary>
    void Send(IPAddress peer, ReadOnlySpan<byte> datagram);

    /// <summary>Where <see cref="Send"/> delivers to <paramref name="peer"/>: its address and port (0 without ports).</summary>
    IPEndPoint PeerEndPoint(IPAddress peer);
}
