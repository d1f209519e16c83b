using System.Net.Sockets;
using System.Text;

namespace MifActors.Node.Tests.Support;

/// <summary>A raw client of a JSON-lines Unix socket, as socat would be: it writes any text and reads lines.</summary>
public sealed class LineSocket : IDisposable
{
    // Long enough for a loaded machine; a test that waits this long has failed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private LineSocket(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    public static LineSocket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return new LineSocket(socket);
    }

    public void Send(string text) => _stream.Write(Encoding.UTF8.GetBytes(text));

    public void SendLine(string line) => Send(line + "\n");

    /// <summary>Ends the client's side of the stream, as socat does at the end of its input.</summary>
    public void EndInput() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The next line, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    public async Task<string> ExpectLineAsync() =>
        await ReadLineAsync() ?? throw new InvalidOperationException("the server closed the connection where a line was expected");

    public void Dispose() => _reader.Dispose();
}
