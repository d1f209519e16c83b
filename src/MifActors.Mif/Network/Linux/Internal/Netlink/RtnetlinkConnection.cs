using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>
/// The backend's two rtnetlink sockets: one joined to the link, address and route groups, whose events are pushed
/// by the kernel, and one for requests (dumps, route changes) so that replies never interleave with events.
/// Both are opened in the calling thread's network namespace.
/// </summary>
internal sealed class RtnetlinkConnection : IDisposable
{
    // Dump datagrams are at most 32 KiB (the kernel caps max_recvmsg_len there); events are far smaller.
    private const int DatagramBytes = 64 * 1024;

    private static readonly int[] EventGroups =
    [
        Rtnetlink.GroupLink, Rtnetlink.GroupIPv4Address, Rtnetlink.GroupIPv6Address,
        Rtnetlink.GroupIPv4Route, Rtnetlink.GroupIPv6Route,
    ];

    private readonly NetlinkSocket _events;
    private readonly NetlinkSocket _requests;
    private readonly SemaphoreSlim _oneRequest = new(1, 1);
    private readonly Action<string> _problem;
    private uint _sequence;

    public RtnetlinkConnection(int eventBufferBytes, Action<string> problem)
    {
        _problem = problem;
        _events = NetlinkSocket.Open(EventGroups, eventBufferBytes);
        try
        {
            _requests = NetlinkSocket.Open([], DatagramBytes * 4);
        }
        catch
        {
            _events.Dispose();
            throw;
        }
    }

    /// <summary>Every link, then every address, then every route, as the kernel has them now.</summary>
    public async Task<List<RtnetlinkChange>> DumpAllAsync(CancellationToken cancellationToken)
    {
        var into = new List<RtnetlinkChange>();
        await DumpAsync(Rtnetlink.GetLink, into, cancellationToken).ConfigureAwait(false);
        await DumpAsync(Rtnetlink.GetAddress, into, cancellationToken).ConfigureAwait(false);
        await DumpAsync(Rtnetlink.GetRoute, into, cancellationToken).ConfigureAwait(false);
        return into;
    }

    /// <summary>
    /// Waits for the next datagram of events and appends its changes. Returns false when the kernel dropped events
    /// (ENOBUFS: the receive buffer overflowed); the caller must then dump again to learn the present state.
    /// </summary>
    public async Task<bool> ReceiveEventsAsync(List<RtnetlinkChange> into, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DatagramBytes);
        try
        {
            int length;
            try
            {
                length = await _events.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                return false;
            }

            var interrupted = false;
            RtnetlinkDatagram.Read(buffer.AsSpan(0, length), into, _problem, out _, ref interrupted);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Adds (or deletes) a route in the main table and waits for the kernel's answer: errno 0 on success, otherwise
    /// the errno and the refusal as a sentence (with the kernel's own explanation when it gives one).
    /// </summary>
    public Task<(int Errno, string? Refusal)> ChangeRouteAsync(
        bool add, IPAddress destination, byte destinationLength, int outputInterface, IPAddress? gateway,
        byte protocol, uint priority, bool unreachable, CancellationToken cancellationToken) =>
        RequestAsync(
            (buffer, sequence) => RtnetlinkRequest.WriteRoute(
                buffer, add, sequence, destination, destinationLength, outputInterface, gateway, protocol, priority, unreachable),
            () => $"{(add ? "adding" : "deleting")} {(unreachable ? "unreachable " : "")}route {destination}/{destinationLength}"
                + (outputInterface == 0 ? "" : $" dev #{outputInterface}") + (gateway is null ? "" : $" via {gateway}"),
            cancellationToken);

    /// <summary>Sets a link administratively up, as <c>ip link set up</c> does; the same answer as <see cref="ChangeRouteAsync"/>.</summary>
    public Task<(int Errno, string? Refusal)> SetLinkUpAsync(int index, string name, CancellationToken cancellationToken) =>
        RequestAsync((buffer, sequence) => RtnetlinkRequest.WriteLinkUp(buffer, sequence, index), () => $"setting {name} up", cancellationToken);

    public void Dispose()
    {
        _events.Dispose();
        _requests.Dispose();
        _oneRequest.Dispose();
    }

    private async Task<(int Errno, string? Refusal)> RequestAsync(
        Func<byte[], uint, int> write, Func<string> describe, CancellationToken cancellationToken)
    {
        await _oneRequest.WaitAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(DatagramBytes);
        try
        {
            var sequence = ++_sequence;
            _requests.Send(buffer.AsSpan(0, write(buffer, sequence)));
            var ignored = new List<RtnetlinkChange>();
            var interrupted = false;
            while (true)
            {
                var received = await _requests.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                RtnetlinkDatagram.Read(buffer.AsSpan(0, received), ignored, _problem, out var answer, ref interrupted);
                if (answer is not { } acknowledgement || acknowledgement.Sequence != sequence) continue;
                if (acknowledgement.Errno == 0) return (0, null);
                return (acknowledgement.Errno,
                    $"{describe()} failed: {Marshal.GetPInvokeErrorMessage(acknowledgement.Errno)} (errno {acknowledgement.Errno})"
                    + (acknowledgement.Explanation is null ? "" : $": {acknowledgement.Explanation}"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _oneRequest.Release();
        }
    }

    private async Task DumpAsync(ushort type, List<RtnetlinkChange> into, CancellationToken cancellationToken)
    {
        await _oneRequest.WaitAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(DatagramBytes);
        try
        {
            // A dump the kernel marks inconsistent (something changed while it ran) is thrown away and asked again.
            for (var attempt = 1; ; attempt++)
            {
                var start = into.Count;
                var sequence = ++_sequence;
                _requests.Send(buffer.AsSpan(0, RtnetlinkRequest.WriteDump(buffer, type, sequence)));
                RtnetlinkDatagram.Outcome outcome;
                var interrupted = false;
                do
                {
                    var received = await _requests.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                    outcome = RtnetlinkDatagram.Read(buffer.AsSpan(0, received), into, _problem, out var answer, ref interrupted);
                    if (answer is { Errno: not 0 } refusal && refusal.Sequence == sequence)
                        throw new InvalidOperationException(
                            $"the kernel refused the rtnetlink dump of message type {type}: errno {refusal.Errno} {refusal.Explanation}");
                }
                while (outcome == RtnetlinkDatagram.Outcome.More);

                if (!interrupted || attempt == 5) return;
                into.RemoveRange(start, into.Count - start);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _oneRequest.Release();
        }
    }
}
