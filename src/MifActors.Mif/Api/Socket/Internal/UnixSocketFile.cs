using System.Net.Sockets;
using NetSocket = System.Net.Sockets.Socket;

namespace MifActors.Mif.Api.Socket.Internal;

/// <summary>The socket file cannot be listened on; the message names the path and says what to do.</summary>
internal sealed class UnixSocketFileException(string message) : Exception(message);

/// <summary>Creating, replacing and removing the socket file a server listens on.</summary>
internal static class UnixSocketFile
{
    public static NetSocket Listen(string path, UnixFileMode mode)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var directory = Path.GetDirectoryName(full);
            if (directory is not null)
                Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnixSocketFileException($"MIF API socket {path}: cannot create its directory: {e.Message}");
        }

        if (Directory.Exists(full))
            throw new UnixSocketFileException($"MIF API socket {path}: is a directory; set mifactors.mif.api.socket to a file path");
        if (File.Exists(full))
            RemoveStale(path, full);

        var listener = new NetSocket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(full));
            // Unix sockets exist on Windows too, but without Unix permissions.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(full, mode);
            listener.Listen(backlog: 64);
            return listener;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            throw new UnixSocketFileException($"MIF API socket {path}: cannot listen: {e.Message}");
        }
    }

    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing to do about it at shutdown; the next start replaces a stale file.
        }
    }

    // A node that died leaves its socket file behind, and binding to an existing path fails. Replace it, but only
    // when nobody listens on it and it really is a socket.
    private static void RemoveStale(string path, string full)
    {
        using (var probe = new NetSocket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(full));
                throw new UnixSocketFileException(
                    $"MIF API socket {path}: another process is serving it; stop that node or set mifactors.mif.api.socket to another path");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // Nobody listens: stale, or not a socket at all (connect says "refused" for a plain file too).
            }
            catch (SocketException e)
            {
                throw new UnixSocketFileException($"MIF API socket {path}: exists and cannot be checked: {e.Message}");
            }
        }
        try
        {
            // open(2) on a socket file fails (ENXIO); on a plain file it works, and that file is not ours to delete.
            using var _ = File.OpenHandle(full, FileMode.Open, FileAccess.Read);
        }
        catch (IOException)
        {
            Remove(full);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnixSocketFileException($"MIF API socket {path}: exists and cannot be replaced: {e.Message}");
        }
        throw new UnixSocketFileException($"MIF API socket {path}: exists and is not a socket; remove it or set mifactors.mif.api.socket to another path");
    }
}
