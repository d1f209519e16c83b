using Akka.Actor;
using Akka.Event;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Transport.Internal;

/// <summary>
/// <c>/transport</c> of an LMA or MAG: signs and checksums what the node sends. What it receives is checked by a
/// <see cref="MobilityDatagramCheck"/> on the transport's receive thread and goes straight, as
/// <see cref="MobilityMessageReceived"/>, to the MN actor the node's direct route names, else to the parent, the node
/// actor: this actor owns the socket's lifetime but is not a hop inbound.
/// </summary>
internal sealed class MobilityTransportActor : ReceiveActor
{
    private readonly IMobilityTransport transport;
    private readonly MobilitySecurityAssociations associations;
    private readonly MobilityCounters counters;
    private readonly MobilityHeaderCodecOptions codec;
    private readonly Func<MobilityMessageReceived, IActorRef?> directRoute;
    private readonly byte[] buffer = new byte[MobilityHeaderCodec.MaxLength];
    private readonly ILoggingAdapter log;

    public MobilityTransportActor(IMobilityTransport transport, MobilitySecurityAssociations associations, MobilityCounters counters,
        MobilityHeaderCodecOptions codec, Func<MobilityMessageReceived, IActorRef?> directRoute)
    {
        this.directRoute = directRoute;
        this.transport = transport;
        this.associations = associations;
        this.counters = counters;
        this.codec = codec;
        log = Context.GetLogger();
        Receive<SendMobilityMessage>(OnSend);
        Receive<GetMobilityCounters>(_ => Sender.Tell(counters.Snapshot()));
    }

    protected override void PreStart()
    {
        var node = Context.Parent;
        var check = new MobilityDatagramCheck(transport.LocalAddress, associations, counters, codec, log);
        transport.Start((peer, bytes) =>
        {
            if (check.Accept(peer, bytes) is not { } message) return;
            var received = new MobilityMessageReceived(message, peer.Address);
            (directRoute(received) ?? node).Tell(received, node);
        });
    }

    private void OnSend(SendMobilityMessage send)
    {
        int length;
        try
        {
            length = associations.EncodeSigned(send.Message, transport.PeerEndPoint(send.Peer), buffer);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            log.Error("Not sending {0} to {1}: {2}", send.Message.GetType().Name, send.Peer, e.Message);
            return;
        }

        MobilityHeaderChecksum.Write(buffer.AsSpan(0, length), transport.LocalAddress, send.Peer);
        transport.Send(send.Peer, buffer.AsSpan(0, length));
        counters.CountSent();
    }
}
