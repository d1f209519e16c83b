using System.Net;
using Akka.Event;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Transport.Internal;

/// <summary>
/// The inbound checks of a node, in the order that costs least for garbage: checksum, then the peer's MAC, then
/// decoding. Thread-safe and holds no per-datagram state, so the transport's own receive thread runs it and hands
/// only what survives to the node actor: no mailbox hop, and no copy, between the socket and the node. A dropped
/// datagram is counted and logged (the first few of each kind, then every thousandth) and goes no further.
/// </summary>
internal sealed class MobilityDatagramCheck(
    IPAddress localAddress, MobilitySecurityAssociations associations, MobilityCounters counters, MobilityHeaderCodecOptions codec, ILoggingAdapter log)
{
    private const int LoggedPerKind = 10;
    private long badChecksums;
    private long unauthenticated;
    private long malformed;

    /// <summary>The message in <paramref name="packet"/> if it passed every check; otherwise counted, logged and null.</summary>
    public MobilityMessage? Accept(IPEndPoint peer, ReadOnlySpan<byte> packet)
    {
        counters.CountReceived();
        if (packet.Length >= 8 && !MobilityHeaderChecksum.Verify(packet, peer.Address, localAddress))
        {
            counters.CountBadChecksum();
            Dropped(ref badChecksums, "bad-checksum", peer, "its checksum does not match the IPv6 pseudo-header (RFC 6275 §6.1.1)");
            return null;
        }

        if (!associations.TryVerify(packet, peer, out var error))
        {
            if (error.Code is MobilityHeaderErrorCode.UnknownPeer or MobilityHeaderErrorCode.MissingAuthentication
                or MobilityHeaderErrorCode.UnknownSecurityParameterIndex or MobilityHeaderErrorCode.BadAuthenticator)
            {
                counters.CountUnauthenticated();
                Dropped(ref unauthenticated, "unauthenticated", peer, error.Message);
            }
            else
            {
                counters.CountMalformed();
                Dropped(ref malformed, "malformed", peer, error.Message);
            }

            return null;
        }

        if (!MobilityHeaderCodec.TryDecode(packet, codec, out var message, out error))
        {
            counters.CountMalformed();
            Dropped(ref malformed, "malformed", peer, error.Message);
            return null;
        }

        counters.CountAccepted();
        return message;
    }

    private void Dropped(ref long kindCount, string kind, IPEndPoint peer, string reason)
    {
        var count = Interlocked.Increment(ref kindCount);
        if (count <= LoggedPerKind || count % 1000 == 0)
        {
            log.Warning("Dropped a datagram from {0} port {1} ({2}, {3} so far): {4}", peer.Address, peer.Port, kind, count, reason);
        }
    }
}
