using System.Net;
using Microsoft.Extensions.Logging;
using MifActors.Actors;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Transport.Internal;

/// <summary>A datagram as the transport delivered it, before any check.</summary>
internal sealed record InboundDatagram(IPAddress Peer, byte[] Bytes);

/// <summary>
/// <c>/transport</c> of an LMA or MAG: signs and checksums what the node sends; checks what it receives in the order
/// that costs least for garbage (checksum, then the peer's MAC, then decoding) and passes on only what survives.
/// A dropped datagram is counted and logged (the first few of each kind, then every thousandth) and goes no further.
/// </summary>
internal sealed class MobilityTransportActor : ReceiveActor
{
    private const int LoggedPerKind = 10;
    private readonly IMobilityTransport transport;
    private readonly MobilitySecurityAssociations associations;
    private readonly MobilityCounters counters;
    private readonly MobilityHeaderCodecOptions codec;
    private readonly byte[] buffer = new byte[MobilityHeaderCodec.MaxLength];
    private readonly Dictionary<string, long> dropsLogged = [];
    private readonly ILogger log;

    public MobilityTransportActor(IMobilityTransport transport, MobilitySecurityAssociations associations, MobilityCounters counters,
        MobilityHeaderCodecOptions codec)
    {
        this.transport = transport;
        this.associations = associations;
        this.counters = counters;
        this.codec = codec;
        log = Context.GetLogger();
        Receive<InboundDatagram>(OnInbound);
        Receive<SendMobilityMessage>(OnSend);
        Receive<GetMobilityCounters>(_ => Sender.Tell(counters.Snapshot()));
    }

    protected override void PreStart()
    {
        var self = Self;
        transport.Start((peer, bytes) => self.Tell(new InboundDatagram(peer, bytes)));
    }

    private void OnSend(SendMobilityMessage send)
    {
        int length;
        try
        {
            length = associations.EncodeSigned(send.Message, send.Peer, buffer);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            log.LogError("Not sending {Message} to {Peer}: {Reason}", send.Message.GetType().Name, send.Peer, e.Message);
            return;
        }

        MobilityHeaderChecksum.Write(buffer.AsSpan(0, length), transport.LocalAddress, send.Peer);
        transport.Send(send.Peer, buffer.AsSpan(0, length));
        counters.CountSent();
    }

    private void OnInbound(InboundDatagram datagram)
    {
        counters.CountReceived();
        var packet = datagram.Bytes.AsSpan();
        if (packet.Length >= 8 && !MobilityHeaderChecksum.Verify(packet, datagram.Peer, transport.LocalAddress))
        {
            counters.CountBadChecksum();
            Dropped("bad-checksum", datagram.Peer, "its checksum does not match the IPv6 pseudo-header (RFC 6275 §6.1.1)");
            return;
        }

        if (!associations.TryVerify(packet, datagram.Peer, out var error))
        {
            if (error.Code is MobilityHeaderErrorCode.UnknownPeer or MobilityHeaderErrorCode.MissingAuthentication
                or MobilityHeaderErrorCode.UnknownSecurityParameterIndex or MobilityHeaderErrorCode.BadAuthenticator)
            {
                counters.CountUnauthenticated();
                Dropped("unauthenticated", datagram.Peer, error.Message);
            }
            else
            {
                counters.CountMalformed();
                Dropped("malformed", datagram.Peer, error.Message);
            }

            return;
        }

        if (!MobilityHeaderCodec.TryDecode(packet, codec, out var message, out error))
        {
            counters.CountMalformed();
            Dropped("malformed", datagram.Peer, error.Message);
            return;
        }

        counters.CountAccepted();
        Context.Parent.Tell(new MobilityMessageReceived(message!, datagram.Peer));
    }

    private void Dropped(string kind, IPAddress peer, string reason)
    {
        var count = dropsLogged[kind] = dropsLogged.GetValueOrDefault(kind) + 1;
        if (count <= LoggedPerKind || count % 1000 == 0)
        {
            log.LogWarning("Dropped a datagram from {Peer} ({Kind}, {Count} so far): {Reason}", peer, kind, count, reason);
        }
    }
}
