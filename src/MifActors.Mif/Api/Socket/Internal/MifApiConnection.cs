using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Api.Json;
using MifActors.Mif.Api.Json.Internal;
using NetSocket = System.Net.Sockets.Socket;

namespace MifActors.Mif.Api.Socket.Internal;

/// <summary>
/// One connection to the MIF API socket, and the subscriber it is: its requests go to the host agent with this actor
/// as <c>Sender</c>, and every message the host agent sends back is written to the connection as one JSON line.
/// </summary>
/// <remarks>
/// Messages wait for the connection in a queue of at most mifactors.mif.api.subscriber-queue entries; all that wait
/// go out in one write, and the next write starts when it completes. When a reader is so slow that the queue is full,
/// newer messages are dropped rather than older ones: what the subscriber gets is then an unbroken prefix of the
/// stream in the draft's order (a No PvD announcement never arrives without the PvD's announcement before it), and
/// one <see cref="MessagesLost"/> marks the exact place of the gap, after which the subscriber knows to ask again.
/// Dropping the oldest would instead hand it the tail of a history whose beginning it never saw.
/// The actor's own messages (lines read, writes done) may arrive after it stopped; they are not dead letters worth a log line.
/// </remarks>
internal sealed class MifApiConnection : ReceiveActor, IWithTimers
{
    private readonly NetSocket _socket;
    private readonly NetworkStream _stream;
    private readonly long _id;
    private readonly IActorRef _host;
    private readonly MifApiSocketSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _closing = new();
    private readonly Queue<byte[]> _queue = new();
    private long _lost;
    private bool _writing;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NetSocket socket, long id, IActorRef host, MifApiSocketSettings settings) =>
        Akka.Actor.Props.Create(() => new MifApiConnection(socket, id, host, settings));

    /// <summary>Tells a connection the server will not serve why, and closes it.</summary>
    public static void Refuse(NetSocket socket, Error error)
    {
        using (socket)
        {
            try
            {
                socket.Send(MifJson.EncodeLine(error));
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // It is gone already; there is no one left to tell.
            }
        }
    }

    public MifApiConnection(NetSocket socket, long id, IActorRef host, MifApiSocketSettings settings)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        // NetworkStream wants a blocking socket when it is made; reads go through its asynchronous path, which does
        // not care. Writes try the kernel first without blocking (WriteNext).
        _socket.Blocking = false;
        _id = id;
        _host = host;
        _settings = settings;

        Receive<IFromMifApi>(Deliver);
        Receive<LineDecoded>(line => Request(line.Number, line.Message));
        Receive<LineRejected>(line => Deliver(new Error(line.Error.Type ?? "", null, $"line {line.Number}: {line.Error.Message}")));
        Receive<InputEnded>(OnInputEnded);
        Receive<LingerOver>(_ => Context.Stop(Self));
        Receive<Written>(_ =>
        {
            _writing = false;
            AfterWrite();
        });
        Receive<WriteFailed>(failed =>
        {
            _log.Debug("MIF API connection {0}: closed while writing ({1})", _id, failed.Reason);
            Context.Stop(Self);
        });
    }

    protected override void PreStart()
    {
        _log.Debug("MIF API connection {0}: subscriber {1}", _id, Self.Path);
        _ = ReadRequestsAsync(_stream, _settings.MaxLineLength, Self, _closing.Token);
    }

    protected override void PostStop()
    {
        _closing.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the client.
        }
        _stream.Dispose();
        _closing.Dispose();
        _log.Debug("MIF API connection {0}: closed", _id);
    }

    private void Request(long number, object message)
    {
        if (message is IToMifApi request)
        {
            _host.Tell(request, Self);
            return;
        }
        var type = message.GetType().Name;
        Deliver(new Error(type, null, $"line {number}: {type} is a message from the MIF API, not a request; requests are {MifJson.RequestNames}"));
    }

    private void Deliver(IFromMifApi message)
    {
        // The open connection cannot cross the socket; the endpoints in the message are what this subscriber gets.
        if (message is Connected { Stream: { } stream })
            stream.Dispose();
        if (!MifJson.CanEncode(message))
        {
            _log.Warning("MIF API connection {0}: {1} has no JSON form and was not sent", _id, message.GetType().Name);
            return;
        }
        if (_lost > 0 || _queue.Count >= _settings.SubscriberQueue)
        {
            _lost++;
            return;
        }
        _queue.Enqueue(MifJson.EncodeLine(message));
        WriteNext();
    }

    private void AfterWrite()
    {
        if (_lost > 0)
        {
            // The report takes the gap's place even when the queue is full again: one entry over the bound, once.
            _queue.Enqueue(MifJson.EncodeLine(new MessagesLost(_lost,
                $"{_lost} messages were dropped here because this subscriber read too slowly " +
                $"(mifactors.mif.api.subscriber-queue = {_settings.SubscriberQueue}); send the Announce requests again to learn the current state")));
            _log.Warning("MIF API connection {0}: dropped {1} messages for a slow reader", _id, _lost);
            _lost = 0;
        }
        WriteNext();
    }

    private void WriteNext()
    {
        if (_writing || _queue.Count == 0)
            return;
        var buffer = new byte[_queue.Sum(line => line.Length)];
        var offset = 0;
        while (_queue.TryDequeue(out var line))
        {
            line.CopyTo(buffer, offset);
            offset += line.Length;
        }

        // First offer it all to the kernel without waiting: a reader that keeps up takes it at once, however large
        // the burst, and only what the kernel's buffer cannot take waits for an asynchronous write. So the queue bound
        // applies to readers that are really slow, not to the time a write takes to complete.
        var sent = _socket.Send(buffer, SocketFlags.None, out var error);
        if (error is not (SocketError.Success or SocketError.WouldBlock))
        {
            _log.Debug("MIF API connection {0}: closed while writing ({1})", _id, error);
            Context.Stop(Self);
            return;
        }
        if (error == SocketError.WouldBlock)
            sent = 0;
        if (sent == buffer.Length)
        {
            AfterWrite();
            return;
        }
        _writing = true;
        _socket.SendAsync(buffer.AsMemory(sent), SocketFlags.None, _closing.Token).AsTask().PipeTo(Self,
            success: _ => Written.Instance,
            failure: e => new WriteFailed(e.GetBaseException().Message));
    }

    private void OnInputEnded(InputEnded ended)
    {
        if (!ended.Clean)
        {
            Context.Stop(Self);
            return;
        }
        // The client stopped sending but may still read: answers to its last requests still go out for a while.
        Timers.StartSingleTimer(nameof(LingerOver), LingerOver.Instance, _settings.HalfCloseLinger);
    }

    private static async Task ReadRequestsAsync(Stream stream, int maxLineLength, IActorRef self, CancellationToken closing)
    {
        try
        {
            await foreach (var line in JsonLineReader.ReadAsync(stream, maxLineLength, closing).ConfigureAwait(false))
            {
                if (line.TooLong)
                {
                    self.Tell(new LineRejected(line.Number, new MifJsonError(null,
                        $"longer than mifactors.mif.api.max-line-length ({maxLineLength} bytes); the line was skipped")));
                }
                else if (line.Utf8.AsSpan().Trim(" \t"u8).IsEmpty)
                {
                    // A blank line (Enter pressed in socat) asks for nothing.
                }
                else if (MifJson.TryDecode(line.Utf8, out var message, out var error))
                {
                    self.Tell(new LineDecoded(line.Number, message));
                }
                else
                {
                    self.Tell(new LineRejected(line.Number, error));
                }
            }
            self.Tell(new InputEnded(Clean: true));
        }
        catch (Exception) when (closing.IsCancellationRequested)
        {
            // The actor stopped and closed the connection under the read.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            self.Tell(new InputEnded(Clean: false));
        }
    }

    private sealed record LineDecoded(long Number, object Message) : IDeadLetterSuppression;

    private sealed record LineRejected(long Number, MifJsonError Error) : IDeadLetterSuppression;

    private sealed record InputEnded(bool Clean) : IDeadLetterSuppression;

    private sealed class LingerOver : IDeadLetterSuppression
    {
        public static readonly LingerOver Instance = new();
    }

    private sealed class Written : IDeadLetterSuppression
    {
        public static readonly Written Instance = new();
    }

    private sealed record WriteFailed(string Reason) : IDeadLetterSuppression;
}
