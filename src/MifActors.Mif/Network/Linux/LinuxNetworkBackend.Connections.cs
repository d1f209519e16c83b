using System.Net;
using System.Net.Sockets;
using System.Text;
using MifActors.Mif.Api;

namespace MifActors.Mif.Network.Linux;

// TCP connections of a PvD: bound to the PvD's source address and to its interface (SO_BINDTODEVICE), so that the
// kernel routes them only through that interface and a better route elsewhere never moves them.
public sealed partial class LinuxNetworkBackend
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    public async Task<ConnectOutcome> ConnectAsync(ConnectAttempt attempt, CancellationToken cancellationToken)
    {
        var path = $"from {attempt.Source} through {attempt.InterfaceName} to {attempt.Destination}";
        int index;
        lock (_gate)
        {
            if (_interfaces.Find(attempt.InterfaceName) is not { } entry)
                return new ConnectFailed(ConnectionFailure.PvdGone, $"connect {path}: there is no interface {attempt.InterfaceName} any more");
            index = entry.Link.Index;
        }

        Socket socket;
        try
        {
            socket = _namespace.Run(() => new Socket(attempt.Destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        }
        catch (SocketException exception)
        {
            return new ConnectFailed(ConnectionFailure.Unreachable, $"connect {path}: no socket could be opened: {exception.Message}");
        }

        try
        {
            // The name NUL-terminated, as struct ifreq's ifr_name; needs CAP_NET_RAW.
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(attempt.InterfaceName + "\0"));
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            return new ConnectFailed(ConnectionFailure.PvdGone, $"connect {path}: the socket could not be bound to {attempt.InterfaceName}: {exception.Message}");
        }

        try
        {
            socket.Bind(new IPEndPoint(Scoped(attempt.Source, index), 0));
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            return new ConnectFailed(ConnectionFailure.NoSourceAddress, $"connect {path}: {attempt.Source} cannot be the source: {exception.Message}");
        }

        try
        {
            await socket.ConnectAsync(new IPEndPoint(Scoped(attempt.Destination.Address, index), attempt.Destination.Port), cancellationToken)
                .ConfigureAwait(false);
            return new ConnectSucceeded(new NetworkStream(socket, ownsSocket: true), (IPEndPoint)socket.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            return new ConnectFailed(Failure(exception.SocketErrorCode), $"connect {path} failed: {exception.Message}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static ConnectionFailure Failure(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ConnectionFailure.Refused,
        SocketError.TimedOut => ConnectionFailure.TimedOut,
        SocketError.AddressNotAvailable => ConnectionFailure.NoSourceAddress,
        SocketError.NetworkDown => ConnectionFailure.PvdGone,
        _ => ConnectionFailure.Unreachable,
    };

    // A link-local address means nothing without its link.
    private static IPAddress Scoped(IPAddress address, int interfaceIndex) =>
        address.IsIPv6LinkLocal && address.ScopeId == 0 ? new IPAddress(address.GetAddressBytes(), interfaceIndex) : address;
}
