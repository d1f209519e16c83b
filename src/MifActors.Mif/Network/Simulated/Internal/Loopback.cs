using System.Net.Sockets;

namespace MifActors.Mif.Network.Simulated.Internal;

/// <summary>The accept loop the simulated network's loopback listeners share.</summary>
internal static class Loopback
{
    /// <summary>Hands every accepted connection to <paramref name="accepted"/> until <paramref name="stop"/> or the listener stops.</summary>
    public static async Task AcceptEachAsync(TcpListener listener, CancellationToken stop, Action<Socket> accepted)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            accepted(socket);
        }
    }
}
