using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MifActors.Mif.Network.Simulated.Internal;

/// <summary>
/// The real side of a simulated server: a TCP listener on 127.0.0.1 that runs the server's behaviour on every
/// connection. It can reset one connection (an abortive close, so the client reads "connection reset"), which is what
/// an interface going away does to the connections through it.
/// </summary>
internal sealed class ServerListener : IDisposable
{
    private readonly SimulatedServer _server;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<int, Socket> _accepted = new();
    private readonly ConcurrentDictionary<int, bool> _resetBeforeAccept = new();
    private readonly ConcurrentDictionary<int, bool> _seen = new();
    private readonly CancellationTokenSource _stop = new();

    public IPEndPoint Endpoint { get; }

    public ServerListener(SimulatedServer server)
    {
        _server = server;
        _listener.Start();
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _ = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var port = ((IPEndPoint)socket.RemoteEndPoint!).Port;
            if (_resetBeforeAccept.TryRemove(port, out _))
            {
                Abort(socket);
                continue;
            }
            _accepted[port] = socket;
            _seen[port] = true;
            _ = ServeAsync(socket, port);
        }
    }

    private async Task ServeAsync(Socket socket, int port)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            await _server.Serve!(stream, _stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away, was reset, or the network is disposed
        }
        finally
        {
            _accepted.TryRemove(port, out _);
        }
    }

    /// <summary>Whether the connection from <paramref name="clientPort"/> is still served (or not yet accepted).</summary>
    public bool Serving(int clientPort) => _accepted.ContainsKey(clientPort) || !_seen.ContainsKey(clientPort);

    /// <summary>Resets the connection whose client side has local port <paramref name="clientPort"/>.</summary>
    public void Reset(int clientPort)
    {
        if (_accepted.TryRemove(clientPort, out var socket))
        {
            Abort(socket);
        }
        else
        {
            _resetBeforeAccept[clientPort] = true;
        }
    }

    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already closed
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _accepted.Values)
        {
            Abort(socket);
        }
    }
}
