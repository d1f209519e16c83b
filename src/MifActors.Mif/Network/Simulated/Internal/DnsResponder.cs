using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MifActors.Mif.Network.Simulated.Internal;

/// <summary>What the simulated path does with one packet: deliver it after <paramref name="Delay"/>, or drop it.</summary>
internal readonly record struct PathDecision(bool Deliver, TimeSpan Delay)
{
    public static readonly PathDecision Drop = new(false, TimeSpan.Zero);
}

/// <summary>
/// A real DNS server on a loopback address, UDP and TCP on the same port, answering from a <see cref="DnsZone"/> as
/// seen through one simulated path (one interface to one server): each query is delivered, delayed or dropped as the
/// path says at the moment it arrives, and delayed answers go out on the actor system's scheduler (virtual in tests).
/// With no zone it never answers (a server that cannot be reached that way).
/// </summary>
internal sealed class DnsResponder : IDisposable
{
    private readonly DnsZone? _zone;
    private readonly Func<PathDecision> _path;
    private readonly Action<TimeSpan, Action> _schedule;
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private int _received;

    public IPEndPoint Endpoint { get; }

    /// <summary>Queries that reached this server's socket, answered or not; tests wait on it before moving time.</summary>
    public int Received => Volatile.Read(ref _received);

    public DnsResponder(IPAddress loopback, int port, DnsZone? zone, Func<PathDecision> path, Action<TimeSpan, Action> schedule)
    {
        _zone = zone;
        _path = path;
        _schedule = schedule;
        _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _udp.Bind(new IPEndPoint(loopback, port));
            Endpoint = (IPEndPoint)_udp.LocalEndPoint!;
            _tcp = new TcpListener(Endpoint);
            _tcp.Start();
        }
        catch
        {
            _udp.Dispose();
            throw;
        }
        _ = ServeUdpAsync();
        _ = ServeTcpAsync();
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[4096];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var remote = received.RemoteEndPoint;
            if (Answer(buffer.AsSpan(0, received.ReceivedBytes), udp: true) is { } answer)
            {
                Deliver(answer.Delay, () =>
                {
                    try
                    {
                        _udp.SendTo(answer.Bytes, remote);
                    }
                    catch (Exception e) when (e is ObjectDisposedException or SocketException)
                    {
                        // the server was disposed, or the asker went away
                    }
                });
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeTcpClientAsync(client);
        }
    }

    private async Task ServeTcpClientAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var prefix = new byte[2];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(prefix, _stop.Token);
                var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await stream.ReadExactlyAsync(message, _stop.Token);
                if (Answer(message, udp: false) is not { } answer)
                {
                    continue;
                }
                var framed = new byte[answer.Bytes.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Bytes.Length);
                answer.Bytes.CopyTo(framed, 2);
                var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Deliver(answer.Delay, () =>
                {
                    try
                    {
                        stream.Write(framed);
                    }
                    catch (Exception e) when (e is IOException or ObjectDisposedException)
                    {
                        // the asker closed the connection
                    }
                    sent.TrySetResult();
                });
                await sent.Task.WaitAsync(_stop.Token);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the asker closed the connection, or the server stops
        }
    }

    private (byte[] Bytes, TimeSpan Delay)? Answer(ReadOnlySpan<byte> query, bool udp)
    {
        Interlocked.Increment(ref _received);
        if (_zone is null || DnsWire.TryReadQuery(query, out var question) != DnsWireError.None)
        {
            return null;
        }
        var path = _path();
        if (!path.Deliver)
        {
            return null;
        }
        var (rcode, answers) = _zone.Answer(question.Name, question.Type);
        var buffer = new byte[DnsWire.MaxLength(question, answers)];
        var length = DnsWire.WriteResponse(buffer, question, rcode, answers, udp ? question.MaxUdpSize : ushort.MaxValue);
        return (buffer[..length], path.Delay);
    }

    private void Deliver(TimeSpan delay, Action send)
    {
        if (delay <= TimeSpan.Zero)
        {
            send();
        }
        else
        {
            _schedule(delay, send);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Stop();
    }
}
