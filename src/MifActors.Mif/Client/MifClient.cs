using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Configuration;
using MifActors.Mif.Api;
using MifActors.Mif.Api.Json;
using MifActors.Mif.Api.Json.Internal;
using MifActors.Mif.Api.Socket;

namespace MifActors.Mif.Client;

/// <summary>
/// A subscriber of the MIF API from another process, over the host agent's JSON-lines socket, with the calls of
/// draft-ietf-mif-api-extension-05 section 3.2.6: POST MESSAGE (<see cref="Post"/>), CHECK MESSAGE
/// (<see cref="CheckMessage"/>, or <see cref="WaitForMessageAsync"/> to wait a while or indefinitely) and GET
/// MESSAGE (<see cref="TryGetMessage"/>), plus <see cref="ReadAllAsync"/> to read messages as they come.
/// </summary>
/// <remarks>
/// The connection is one subscriber: the host agent forgets its subscriptions when it is disposed. Messages are the
/// records of <see cref="MifActors.Mif.Api"/> (and <see cref="MessagesLost"/> when this client read too slowly).
/// <see cref="Connected"/> carries the endpoints of the connection the host agent opened, never the connection
/// itself: the byte stream stays with the host agent's process and is closed there. A process that needs the stream
/// is an in-process subscriber (an actor that sends to /user/host).
/// </remarks>
public sealed class MifClient : IAsyncDisposable, IDisposable
{
    // A line from the host agent longer than this is not a message it sends (ConfigurationData lists stay far below).
    private const int MaxLineLength = 1024 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Channel<IFromMifApi> _messages;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _reading;
    private Exception? _readFailure;

    private MifClient(string socketPath, Socket socket, int bufferedMessages)
    {
        SocketPath = socketPath;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        // Bounded: when the application stops reading, so does this client, and the host agent's own bounded queue
        // decides what is dropped and reports it (MessagesLost), rather than this process growing without end.
        _messages = Channel.CreateBounded<IFromMifApi>(new BoundedChannelOptions(bufferedMessages)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _reading = ReadMessagesAsync();
    }

    /// <summary>The socket this client is connected to.</summary>
    public string SocketPath { get; }

    /// <summary>Completes when the host agent closed the connection or this client was disposed.</summary>
    public Task Completion => _messages.Reader.Completion;

    /// <summary>Connects to the host agent's socket.</summary>
    /// <param name="socketPath">The socket; null for the default of mifactors.mif.api.socket (hocon/mif.conf).</param>
    /// <param name="bufferedMessages">How many received messages this client holds before it stops reading the socket.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <exception cref="IOException">Nothing serves the socket; the message names the path.</exception>
    public static async Task<MifClient> ConnectAsync(
        string? socketPath = null, int bufferedMessages = 1024, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferedMessages, 1);
        socketPath ??= MifApiSocketSettings.From(ConfigurationFactory.Empty).Path;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"cannot connect to the MIF API at {socketPath}: {e.Message} (is a node with the host-agent role running?)", e);
        }
        return new MifClient(socketPath, socket, bufferedMessages);
    }

    /// <summary>POST MESSAGE (section 3.2.6.1): sends a request and returns; answers arrive as messages.</summary>
    /// <exception cref="IOException">The connection is closed.</exception>
    public void Post(IToMifApi message)
    {
        var line = MifJson.EncodeLine(message);
        _writeLock.Wait();
        try
        {
            _stream.Write(line);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>POST MESSAGE without blocking the calling thread on the socket.</summary>
    /// <exception cref="IOException">The connection is closed.</exception>
    public async ValueTask PostAsync(IToMifApi message, CancellationToken cancellationToken = default)
    {
        var line = MifJson.EncodeLine(message);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>CHECK MESSAGE (section 3.2.6.2) as a non-blocking probe: is a message waiting?</summary>
    public bool CheckMessage() => _messages.Reader.TryPeek(out _);

    /// <summary>GET MESSAGE (section 3.2.6.3): the next message if one is waiting, without blocking.</summary>
    public bool TryGetMessage([NotNullWhen(true)] out IFromMifApi? message) => _messages.Reader.TryRead(out message);

    /// <summary>
    /// CHECK MESSAGE, waiting: the next message, waiting at most <paramref name="timeout"/> (null: until one comes),
    /// or null when none came in time.
    /// </summary>
    /// <exception cref="IOException">The connection closed and every message has been read.</exception>
    public async Task<IFromMifApi?> WaitForMessageAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
            deadline.CancelAfter(limit);
        try
        {
            while (await _messages.Reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                if (_messages.Reader.TryRead(out var message))
                    return message;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        throw Closed();
    }

    /// <summary>Every message as it comes, until the connection closes (or <paramref name="cancellationToken"/>).</summary>
    public async IAsyncEnumerable<IFromMifApi> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var message in _messages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return message;
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await _reading.ConfigureAwait(false);
        _closing.Dispose();
        _writeLock.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Close()
    {
        if (_closing.IsCancellationRequested)
            return;
        _closing.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The host agent closed it first.
        }
        _stream.Dispose();
    }

    private IOException Closed() =>
        new($"the MIF API at {SocketPath} closed the connection{(_readFailure is null ? "" : $": {_readFailure.Message}")}", _readFailure);

    private async Task ReadMessagesAsync()
    {
        var closing = _closing.Token;
        try
        {
            await foreach (var line in JsonLineReader.ReadAsync(_stream, MaxLineLength, closing).ConfigureAwait(false))
            {
                IFromMifApi message;
                if (line.TooLong)
                    message = new Error("", null, $"line {line.Number} from the MIF API is longer than {MaxLineLength} bytes and was skipped");
                else if (MifJson.TryDecode(line.Utf8, out var decoded, out var error) && decoded is IFromMifApi fromApi)
                    message = fromApi;
                else
                    message = new Error(error?.Type ?? "", null, $"line {line.Number} from the MIF API is not a message: {error?.Message ?? decoded!.GetType().Name}");
                await _messages.Writer.WriteAsync(message, closing).ConfigureAwait(false);
            }
        }
        catch (Exception) when (closing.IsCancellationRequested)
        {
            // Disposed under the read.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _readFailure = e;
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
