namespace MifActors.Mif.Network.Linux.Internal.Netlink;

/// <summary>One object the kernel reported, from a dump or from an event: added or changed, or removed.</summary>
internal abstract record RtnetlinkChange(bool Removed);

internal sealed record LinkChange(KernelLink Link, bool Removed) : RtnetlinkChange(Removed);

internal sealed record AddressChange(KernelAddress Address, bool Removed) : RtnetlinkChange(Removed);

internal sealed record RouteChange(KernelRoute Route, bool Removed) : RtnetlinkChange(Removed);

/// <summary>NLMSG_ERROR: the answer to the request with <paramref name="Sequence"/>; errno 0 acknowledges success.</summary>
internal readonly record struct NetlinkAcknowledgement(int Errno, uint Sequence, string? Explanation);

/// <summary>
/// Reads the rtnetlink messages of one datagram into <see cref="RtnetlinkChange"/>s. A malformed message is reported
/// through the problem callback with what and where, and skipped; a malformed header ends the datagram.
/// </summary>
internal static class RtnetlinkDatagram
{
    public enum Outcome
    {
        /// <summary>More datagrams follow (a dump in progress, or events).</summary>
        More,

        /// <summary>NLMSG_DONE for the dump: every object has been sent.</summary>
        Done,
    }

    /// <summary>
    /// Reads one datagram. <paramref name="interrupted"/> is set when the kernel marked a dump message inconsistent
    /// (NLM_F_DUMP_INTR: something changed while the dump ran).
    /// </summary>
    public static Outcome Read(
        ReadOnlySpan<byte> datagram, List<RtnetlinkChange> into, Action<string> problem,
        out NetlinkAcknowledgement? acknowledgement, ref bool interrupted)
    {
        acknowledgement = null;
        var reader = new NetlinkMessageReader(datagram);
        NetlinkError headerError;
        while (reader.MoveNext(out headerError))
        {
            if ((reader.Flags & Rtnetlink.FlagDumpInterrupted) != 0) interrupted = true;
            NetlinkError decodeError = default;
            switch (reader.Type)
            {
                case Rtnetlink.Done:
                    return Outcome.Done;
                case Rtnetlink.Error:
                    decodeError = RtnetlinkDecoder.DecodeError(reader.Payload, reader.Flags, out var errno, out var sequence, out var explanation);
                    if (!decodeError.IsError) acknowledgement = new(errno, sequence, explanation);
                    break;
                case Rtnetlink.NewLink:
                case Rtnetlink.DeleteLink:
                    decodeError = RtnetlinkDecoder.DecodeLink(reader.Payload, reader.Type, out var link);
                    if (link is not null) into.Add(new LinkChange(link, reader.Type == Rtnetlink.DeleteLink));
                    break;
                case Rtnetlink.NewAddress:
                case Rtnetlink.DeleteAddress:
                    decodeError = RtnetlinkDecoder.DecodeAddress(reader.Payload, reader.Type, out var address);
                    if (address is not null) into.Add(new AddressChange(address, reader.Type == Rtnetlink.DeleteAddress));
                    break;
                case Rtnetlink.NewRoute:
                case Rtnetlink.DeleteRoute:
                    decodeError = RtnetlinkDecoder.DecodeRoute(reader.Payload, reader.Type, out var route);
                    if (route is not null) into.Add(new RouteChange(route, reader.Type == Rtnetlink.DeleteRoute));
                    break;
            }

            if (decodeError.IsError)
                problem($"rtnetlink message type {reader.Type} at byte {reader.MessageOffset} skipped: {decodeError.Message}");
        }

        if (headerError.IsError) problem($"rest of an rtnetlink datagram of {datagram.Length} bytes skipped: {headerError.Message}");
        return Outcome.More;
    }
}
