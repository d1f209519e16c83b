using System.Net;
using System.Net.Sockets;
using MifActors.Mif.Api;
using MifActors.Mif.Network.Simulated.Internal;

namespace MifActors.Mif.Network.Simulated;

// Servers and TCP connections. A connect is decided on the scheduler (one round trip, more for lost SYNs, never in a
// black hole); when it succeeds, a real loopback connection to the server's listener carries the bytes.
public sealed partial class SimulatedNetwork
{
    private const int MaxSynRetransmissions = 6;   // Linux's tcp_syn_retries
    private readonly Dictionary<IPEndPoint, (SimulatedServer Server, ServerListener? Listener, string? Via)> _servers = new();
    private readonly Dictionary<SimulatedServer, ServerListener> _portals = new();
    private int _pendingConnects;

    /// <summary>
    /// A server at <paramref name="endpoint"/> (a simulated address and port), reachable through every interface, or
    /// only through <paramref name="via"/>.
    /// </summary>
    public void AddServer(IPEndPoint endpoint, SimulatedServer server, string? via = null)
    {
        lock (_gate)
        {
            if (_servers.Remove(endpoint, out var earlier))
            {
                earlier.Listener?.Dispose();
            }
            _servers[endpoint] = (server, server.Serve is null ? null : new ServerListener(server), via);
        }
    }

    /// <summary>A server at <c>address:port</c> text (<c>203.0.113.10:443</c>, <c>[2001:db8::10]:443</c>).</summary>
    public void AddServer(string endpoint, SimulatedServer server, string? via = null) => AddServer(IPEndPoint.Parse(endpoint), server, via);

    /// <summary>Connect attempts waiting for the scheduler (a round trip, a SYN retransmission, a black hole).</summary>
    public int PendingConnects => Volatile.Read(ref _pendingConnects);

    public Task<ConnectOutcome> ConnectAsync(ConnectAttempt attempt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var destination = attempt.Destination;
            if (!_interfaces.TryGetValue(attempt.InterfaceName, out var i) || !i.Usable)
            {
                return Failed(ConnectionFailure.Unreachable, $"{attempt.InterfaceName} is not up");
            }
            if (!i.HasAddress(attempt.Source, Now) || attempt.Source.AddressFamily != destination.AddressFamily)
            {
                return Failed(ConnectionFailure.NoSourceAddress, $"{attempt.Source} is not a usable address of {attempt.InterfaceName} for {destination}");
            }

            var pending = new TaskCompletionSource<ConnectOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Increment(ref _pendingConnects);
            var settled = 0;
            bool Settle(ConnectOutcome outcome)
            {
                if (Interlocked.Exchange(ref settled, 1) != 0)
                {
                    return false;
                }
                Interlocked.Decrement(ref _pendingConnects);
                pending.TrySetResult(outcome);
                return true;
            }
            cancellationToken.Register(() => Settle(new ConnectFailed(ConnectionFailure.TimedOut, "the attempt was given up")));

            // A black hole, or every SYN lost: no answer ever; the caller gives up on its own timeout.
            if (i.Blackholed)
            {
                return pending.Task;
            }
            var delay = i.RoundTrip;
            var rto = _settings.InitialRto;
            for (var sent = 0; Lost(i); sent++, rto *= 2)
            {
                if (sent == MaxSynRetransmissions)
                {
                    return pending.Task;
                }
                delay += rto;
            }

            var (server, listener) = Target(i, destination);
            void Decide()
            {
                if (!i.Usable || i.Blackholed || !_interfaces.ContainsKey(i.Name))
                {
                    Settle(new ConnectFailed(ConnectionFailure.Unreachable, $"{i.Name} went down while connecting to {destination}"));
                }
                else if (server is null)
                {
                    Settle(new ConnectFailed(ConnectionFailure.Unreachable, $"no route to {destination.Address} through {i.Name}"));
                }
                else if (listener is null)
                {
                    Settle(new ConnectFailed(ConnectionFailure.Refused, $"{destination} refused the connection"));
                }
                else
                {
                    _ = ConnectLoopbackAsync(i, listener, attempt, Settle);
                }
            }
            if (delay > TimeSpan.Zero)
            {
                After(delay, Decide);
            }
            else
            {
                Decide();   // no time passes on a link without delay: no need to move the clock
            }
            return pending.Task;
        }
    }

    /// <summary>
    /// Inside the lock: the server a connect from <paramref name="i"/> reaches, and its listener (null when it refuses).
    /// A captive portal catches every connection; an address without a server at that port refuses; an address
    /// without any server is unreachable.
    /// </summary>
    private (SimulatedServer? Server, ServerListener? Listener) Target(SimulatedInterface i, IPEndPoint destination)
    {
        if (i.CaptivePortal is { } portal)
        {
            if (!_portals.TryGetValue(portal, out var portalListener))
            {
                _portals[portal] = portalListener = new ServerListener(portal);
            }
            return (portal, portalListener);
        }
        if (_servers.TryGetValue(destination, out var entry) && (entry.Via is null || entry.Via == i.Name))
        {
            return (entry.Server, entry.Listener);
        }
        var hostThere = _servers.Any(s => s.Key.Address.Equals(destination.Address) && (s.Value.Via is null || s.Value.Via == i.Name));
        return hostThere ? (SimulatedServer.Refusing(), null) : (null, null);
    }

    private async Task ConnectLoopbackAsync(SimulatedInterface i, ServerListener listener, ConnectAttempt attempt, Func<ConnectOutcome, bool> settle)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(listener.Endpoint);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            settle(new ConnectFailed(ConnectionFailure.Refused, $"the simulated server for {attempt.Destination} is gone: {e.Message}"));
            return;
        }
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var stream = new NetworkStream(socket, ownsSocket: true);
        if (!settle(new ConnectSucceeded(stream, new IPEndPoint(attempt.Source, port), attempt.Destination)))
        {
            stream.Dispose();   // given up meanwhile
            return;
        }
        lock (_gate)
        {
            i.Connections.RemoveAll(c => !c.Listener.Serving(c.ClientPort));
            i.Connections.Add(new LiveConnection(listener, port));
        }
    }

    private static Task<ConnectOutcome> Failed(ConnectionFailure reason, string message) =>
        Task.FromResult<ConnectOutcome>(new ConnectFailed(reason, message));

    private void DisposeServers()
    {
        foreach (var (_, listener, _) in _servers.Values)
        {
            listener?.Dispose();
        }
        foreach (var listener in _portals.Values)
        {
            listener.Dispose();
        }
        _servers.Clear();
        _portals.Clear();
    }
}
