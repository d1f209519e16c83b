using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Api;
using MifActors.Mif.Network;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// One connection (/user/host/connections/&lt;n&gt;): asks the backend to connect from the chosen source address, bound
/// to the PvD's interface, and gives up after mifactors.mif.connect-timeout on the scheduler (virtual in tests). Once
/// connected it hands the stream to the subscriber and lives until the application disposes the stream, or the
/// subscriber goes (then it closes the stream itself). It records the application's hints (idle, can be broken) for
/// the session layer built on top.
/// </summary>
internal sealed class ConnectionActor : ReceiveActor, IWithTimers
{
    private readonly OpenConnection _open;
    private readonly INetworkBackend _backend;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ConnectionStream? _stream;

    // The application's hints (sections 3.2.7.26.2 and .3), kept for the session layer built on top.
    private bool _idle;
    private bool _canBeBroken;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(OpenConnection open, INetworkBackend backend, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(open, backend, timeout));

    public ConnectionActor(OpenConnection open, INetworkBackend backend, TimeSpan timeout)
    {
        _open = open;
        _backend = backend;
        _timeout = timeout;

        Receive<ConnectSucceeded>(succeeded =>
        {
            Timers.CancelAll();
            _stream = new ConnectionStream(succeeded.Stream, Self);
            Reply(new Connected(open.ConnectionId, open.Attempt.PvdId,
                succeeded.Local.Address, succeeded.Local.Port, succeeded.Remote.Address, succeeded.Remote.Port) { Stream = _stream });
            Become(Established);
        });
        Receive<ConnectFailed>(failed => Fail(failed.Reason, failed.Message));
        Receive<GaveUp>(_ =>
        {
            _cancellation.Cancel();
            Fail(ConnectionFailure.TimedOut,
                $"no answer from {open.Attempt.Destination} through {open.Attempt.InterfaceName} within {timeout.TotalSeconds} s (mifactors.mif.connect-timeout)");
        });
        Receive<Status.Failure>(failure => Fail(ConnectionFailure.Unreachable, $"the backend failed to connect: {failure.Cause.Message}"));
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    private void Established()
    {
        Receive<ConnectionIsIdle>(_ =>
        {
            _idle = true;
            _log.Debug("Connection {0} is idle (can be broken: {1})", _open.ConnectionId, _canBeBroken);
        });
        Receive<ConnectionCanBeBroken>(_ =>
        {
            _canBeBroken = true;
            _log.Debug("Connection {0} can be broken (idle: {1})", _open.ConnectionId, _idle);
        });
        Receive<StreamClosed>(_ =>
        {
            _stream = null;
            _open.Subscriber.Tell(new ConnectionEnded(_open.ConnectionId, _open.Sequence));
            Context.Stop(Self);
        });
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    protected override void PreStart()
    {
        Context.Watch(_open.Subscriber);
        _open.Subscriber.Tell(new ConnectionStarted(_open.ConnectionId, _open.Sequence));
        Timers.StartSingleTimer("timeout", GaveUp.Instance, _timeout);
        var self = Self;
        var cancellation = _cancellation.Token;
        _backend.ConnectAsync(_open.Attempt, cancellation).ContinueWith(task =>
        {
            if (!task.IsCompletedSuccessfully)
            {
                if (!cancellation.IsCancellationRequested)
                {
                    self.Tell(new Status.Failure(task.Exception?.GetBaseException() ?? new OperationCanceledException()));
                }
            }
            else if (task.Result is ConnectSucceeded late && cancellation.IsCancellationRequested)
            {
                late.Stream.Dispose();   // connected after this attempt was given up: nobody wants it
            }
            else
            {
                self.Tell(task.Result);
            }
        }, TaskScheduler.Default);
    }

    protected override void PostStop()
    {
        _cancellation.Cancel();
        _cancellation.Dispose();
        // The subscriber is gone (or this actor failed): nobody else will close the connection.
        _stream?.Abandon();
    }

    private void Reply(IFromMifApi message) => _open.Subscriber.Tell(new ConnectionResult(_open.ConnectionId, _open.Sequence, message));

    private void Fail(ConnectionFailure reason, string message)
    {
        _log.Debug("Connection {0} from {1}: {2}", _open.ConnectionId, _open.Attempt.Source, message);
        Reply(new NotConnected(_open.ConnectionId, reason, message));
        Context.Stop(Self);
    }

    internal sealed class StreamClosed
    {
        public static readonly StreamClosed Instance = new();
    }

    private sealed class GaveUp
    {
        public static readonly GaveUp Instance = new();
    }
}

/// <summary>The stream handed to the application: the backend's, telling the connection actor when it is disposed.</summary>
internal sealed class ConnectionStream(Stream inner, IActorRef connection) : Stream
{
    private int _disposed;

    /// <summary>Closes the connection without telling the connection actor, which is stopping.</summary>
    public void Abandon()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            inner.Dispose();
        }
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override bool CanTimeout => inner.CanTimeout;
    public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }
    public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }
    public override long Length => throw new NotSupportedException("a connection has no length");
    public override long Position
    {
        get => throw new NotSupportedException("a connection has no position");
        set => throw new NotSupportedException("a connection has no position");
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a connection cannot seek");
    public override void SetLength(long value) => throw new NotSupportedException("a connection has no length");

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            inner.Dispose();
            connection.Tell(ConnectionActor.StreamClosed.Instance);
        }
        base.Dispose(disposing);
    }
}
