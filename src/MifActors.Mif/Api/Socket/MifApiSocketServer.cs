using System.Collections.Concurrent;
using System.Net.Sockets;
using NetSocket = System.Net.Sockets.Socket;
using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Api.Socket.Internal;

namespace MifActors.Mif.Api.Socket;

/// <summary>
/// Serves the MIF API to other processes as JSON lines on a Unix domain socket (mifactors.mif.api.socket). Each
/// connection is one subscriber: a child actor that sends the connection's requests to the host agent as their
/// <c>Sender</c> and writes what comes back, through a bounded queue, to the connection.
/// </summary>
/// <remarks>
/// Akka.IO and Akka.Streams' TCP bind IP endpoints only (their sockets are created with ProtocolType.Tcp), so the
/// listening socket is .NET's own, and each connection's reads and writes are piped into its actor.
/// When the socket cannot be listened on, the actor system is shut down with <see cref="MifUnavailable"/>; when one
/// accept fails, the server tries again after mifactors.mif.api.accept-retry.
/// The socket file is removed when this actor stops, which a coordinated shutdown (SIGTERM) does.
/// </remarks>
public sealed class MifApiSocketServer : ReceiveActor, IWithTimers
{
    private readonly IActorRef _host;
    private readonly MifApiSocketSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    // Accepted connections on their way to this actor: those still here when it stops are closed with it.
    private readonly ConcurrentQueue<NetSocket> _accepted = new();
    private NetSocket? _listener;
    private long _served;
    private int _connected;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A server that sends every connection's requests to <paramref name="host"/> (the host agent, /user/host).</summary>
    public static Props Props(IActorRef host, MifApiSocketSettings settings) =>
        Akka.Actor.Props.Create(() => new MifApiSocketServer(host, settings));

    public MifApiSocketServer(IActorRef host, MifApiSocketSettings settings)
    {
        _host = host;
        _settings = settings;
        Receive<Accepted>(_ =>
        {
            while (_accepted.TryDequeue(out var connection))
                Serve(connection);
        });
        Receive<AcceptFailed>(failed =>
        {
            // The kernel had no room for one more connection (EMFILE, ENOBUFS); those connected keep being served.
            _log.Error("MIF API socket {0}: accepting a connection failed ({1}); trying again in {2}",
                _settings.Path, failed.Reason, _settings.AcceptRetry);
            Timers.StartSingleTimer(nameof(AcceptAgain), AcceptAgain.Instance, _settings.AcceptRetry);
        });
        Receive<AcceptAgain>(_ => StartAccepting());
        Receive<Terminated>(_ => _connected--);
    }

    protected override void PreStart()
    {
        try
        {
            _listener = UnixSocketFile.Listen(_settings.Path, _settings.Mode);
        }
        catch (UnixSocketFileException e)
        {
            Unavailable(e.Message);
            return;
        }
        _log.Info("MIF API listening on {0} (JSON lines; docs/mif-api.md)", _settings.Path);
        StartAccepting();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        while (_accepted.TryDequeue(out var connection))
            connection.Dispose();
        if (_listener is not null)
        {
            _listener.Dispose();
            UnixSocketFile.Remove(_settings.Path);
        }
        _stopping.Dispose();
    }

    private void Serve(NetSocket connection)
    {
        if (_connected >= _settings.MaxConnections)
        {
            _log.Warning("MIF API: refused a connection, {0} subscribers are connected (mifactors.mif.api.max-connections)", _connected);
            MifApiConnection.Refuse(connection, new Error("", null,
                $"{_connected} subscribers are connected, the most mifactors.mif.api.max-connections allows; try again later"));
            return;
        }
        var id = ++_served;
        var child = Context.ActorOf(MifApiConnection.Props(connection, id, _host, _settings), $"connection-{id}");
        Context.Watch(child);
        _connected++;
    }

    private void StartAccepting() => _ = AcceptAsync(_listener!, _accepted, Self, _stopping.Token);

    private void Unavailable(string message)
    {
        _log.Error(message);
        CoordinatedShutdown.Get(Context.System).Run(new MifUnavailable(message));
        Context.Stop(Self);
    }

    private static async Task AcceptAsync(NetSocket listener, ConcurrentQueue<NetSocket> accepted, IActorRef self, CancellationToken stopping)
    {
        while (true)
        {
            NetSocket connection;
            try
            {
                connection = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up before it was accepted: its business, not the server's.
                continue;
            }
            catch (SocketException e)
            {
                self.Tell(new AcceptFailed(e.Message));
                return;
            }
            accepted.Enqueue(connection);
            if (stopping.IsCancellationRequested)
            {
                // The actor stopped between the accept and the queue; nobody else will close these.
                while (accepted.TryDequeue(out var orphan))
                    orphan.Dispose();
                return;
            }
            self.Tell(Accepted.Instance);
        }
    }

    private sealed class Accepted : IDeadLetterSuppression
    {
        public static readonly Accepted Instance = new();
    }

    private sealed record AcceptFailed(string Reason) : IDeadLetterSuppression;

    private sealed class AcceptAgain
    {
        public static readonly AcceptAgain Instance = new();
    }
}
