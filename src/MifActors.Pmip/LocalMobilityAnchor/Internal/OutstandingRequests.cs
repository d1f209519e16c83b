using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// The LMA's own record of its FHRQs waiting for an FHRP, by MAG and sequence number: what routes an FHRP that names no
/// MN. The draft makes the MN-ID option mandatory only with status 0, so a MAG that refuses a handover may leave it
/// out, and such a refusal must still reach the MN that asked. Written by the MN actors as they apply their events
/// (recovery included), read by the node actor and the transport's receive thread.
/// </summary>
internal sealed class OutstandingRequests
{
    private readonly Lock gate = new();
    private readonly Dictionary<(MagAddress Mag, ushort Sequence), List<MobileNodeIdentifier>> requests = [];

    public void Add(MagAddress mag, ushort sequence, MobileNodeIdentifier mobileNode)
    {
        lock (gate)
        {
            if (!requests.TryGetValue((mag, sequence), out var waiting)) requests[(mag, sequence)] = waiting = [];
            if (!waiting.Contains(mobileNode)) waiting.Add(mobileNode);
        }
    }

    public void Remove(MagAddress mag, ushort sequence, MobileNodeIdentifier mobileNode)
    {
        lock (gate)
        {
            if (!requests.TryGetValue((mag, sequence), out var waiting)) return;
            waiting.Remove(mobileNode);
            if (waiting.Count == 0) requests.Remove((mag, sequence));
        }
    }

    /// <summary>
    /// The MNs with an FHRQ numbered <paramref name="sequence"/> waiting for <paramref name="mag"/>'s FHRP: usually one;
    /// more when several MNs' counters met at that number, and then an FHRP without an MN-ID cannot say whose it is.
    /// </summary>
    public IReadOnlyList<MobileNodeIdentifier> Waiting(MagAddress mag, ushort sequence)
    {
        lock (gate) return requests.TryGetValue((mag, sequence), out var waiting) ? [.. waiting] : [];
    }
}
