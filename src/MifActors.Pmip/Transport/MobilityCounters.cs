namespace MifActors.Pmip.Transport;

/// <summary>
/// What one node received and why it dropped what it dropped. Written by the node's actors, read from any thread.
/// </summary>
public sealed class MobilityCounters
{
    private long received;
    private long accepted;
    private long sent;
    private long malformed;
    private long badChecksum;
    private long unauthenticated;
    private long replayed;
    private long unexpected;

    public void CountReceived() => Interlocked.Increment(ref received);

    public void CountAccepted() => Interlocked.Increment(ref accepted);

    public void CountSent() => Interlocked.Increment(ref sent);

    public void CountMalformed() => Interlocked.Increment(ref malformed);

    public void CountBadChecksum() => Interlocked.Increment(ref badChecksum);

    public void CountUnauthenticated() => Interlocked.Increment(ref unauthenticated);

    /// <summary>A sequence number or timestamp outside the replay window (counted by the MN actors, which know the window).</summary>
    public void CountReplayed() => Interlocked.Increment(ref replayed);

    /// <summary>Well formed and authentic, but answering nothing we asked (an FHRP for no pending FHRQ).</summary>
    public void CountUnexpected() => Interlocked.Increment(ref unexpected);

    public MobilityCounterSnapshot Snapshot() => new(
        Interlocked.Read(ref received),
        Interlocked.Read(ref accepted),
        Interlocked.Read(ref sent),
        Interlocked.Read(ref malformed),
        Interlocked.Read(ref badChecksum),
        Interlocked.Read(ref unauthenticated),
        Interlocked.Read(ref replayed),
        Interlocked.Read(ref unexpected));
}

/// <summary>A node's counters at one moment.</summary>
/// <param name="Received">Datagrams that reached the transport actor.</param>
/// <param name="Accepted">Datagrams that passed authentication, checksum and decoding.</param>
/// <param name="Sent">Datagrams sent.</param>
/// <param name="Malformed">Rejected by the decoder (a typed <c>MobilityHeaderError</c>).</param>
/// <param name="BadChecksum">Rejected for a wrong RFC 6275 checksum.</param>
/// <param name="Unauthenticated">From an unknown peer, without an authentication option, or with a bad MAC.</param>
/// <param name="Replayed">Authentic but old: a sequence number or timestamp outside the replay window.</param>
/// <param name="Unexpected">Authentic but answering nothing pending.</param>
public sealed record MobilityCounterSnapshot(
    long Received,
    long Accepted,
    long Sent,
    long Malformed,
    long BadChecksum,
    long Unauthenticated,
    long Replayed,
    long Unexpected)
{
    /// <summary>Everything dropped before it could change state.</summary>
    public long Errors => Malformed + BadChecksum + Unauthenticated + Replayed + Unexpected;
}
