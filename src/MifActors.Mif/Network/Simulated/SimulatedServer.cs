using System.Text;

namespace MifActors.Mif.Network.Simulated;

/// <summary>
/// What a simulated server does with a connection. Connections carry real bytes: each server is a real TCP listener on
/// loopback, and the simulated network decides on the scheduler whether and when a connect reaches it.
/// </summary>
public sealed class SimulatedServer
{
    private SimulatedServer(string description, Func<Stream, CancellationToken, Task>? serve)
    {
        Description = description;
        Serve = serve;
    }

    public string Description { get; }

    /// <summary>Null: the server refuses every connection (a reset after one round trip).</summary>
    internal Func<Stream, CancellationToken, Task>? Serve { get; }

    /// <summary>Sends back everything it receives.</summary>
    public static SimulatedServer Echo() => new("echo", (stream, ct) => stream.CopyToAsync(stream, ct));

    /// <summary>Refuses every connection (TCP reset: no one listens on that port).</summary>
    public static SimulatedServer Refusing() => new("refusing", null);

    /// <summary>Sends <paramref name="bytes"/> bytes (a download), then closes.</summary>
    public static SimulatedServer Source(long bytes) => new($"source of {bytes} bytes", async (stream, ct) =>
    {
        var chunk = new byte[16 * 1024];
        for (var left = bytes; left > 0;)
        {
            var count = (int)Math.Min(chunk.Length, left);
            await stream.WriteAsync(chunk.AsMemory(0, count), ct);
            left -= count;
        }
    });

    /// <summary>
    /// Answers every HTTP request with <paramref name="statusLine"/> (<c>204 No Content</c>, <c>302 Found</c>) and the
    /// given headers and body, as a web server, a connectivity-check endpoint or a captive portal does.
    /// </summary>
    public static SimulatedServer Http(string statusLine, string body = "", params (string Name, string Value)[] headers) =>
        new($"HTTP {statusLine}", async (stream, ct) =>
        {
            var request = new StringBuilder();
            var buffer = new byte[1024];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, ct);
                if (read == 0)
                {
                    return;
                }
                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            var response = new StringBuilder($"HTTP/1.1 {statusLine}\r\n");
            foreach (var (name, value) in headers)
            {
                response.Append($"{name}: {value}\r\n");
            }
            var content = Encoding.UTF8.GetBytes(body);
            response.Append($"Content-Length: {content.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()), ct);
            await stream.WriteAsync(content, ct);
        });

    /// <summary>A captive portal's answer to every HTTP request: a redirect to its login page.</summary>
    public static SimulatedServer CaptivePortal(string loginUrl) =>
        Http("302 Found", $"<a href=\"{loginUrl}\">log in</a>", ("Location", loginUrl), ("Content-Type", "text/html"));

    /// <summary>Any other behaviour, given the server's side of each connection.</summary>
    public static SimulatedServer Custom(string description, Func<Stream, CancellationToken, Task> serve) => new(description, serve);

    public override string ToString() => Description;
}
