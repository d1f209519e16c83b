using MifActors.Pmip.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// The LMA's forwarding decision as a structure the data plane can read from any thread: exact FFEs in one
/// dictionary, each MN's wildcard FFEs in a short list sorted most specific first, and the BCEs indexed by HNP (one
/// dictionary per prefix length in use, usually only /64) and by IPv4 home address. A lookup is a few hash probes
/// plus a scan of one MN's wildcard entries. Written only from durable events (by the MN actors, and by the node's
/// recovery pass), so writing an MN's events again after a restart only overwrites entries with themselves: nothing
/// needs clearing first, and routes stay up while an MN actor recovers. Sized for a million MNs: no per-MN
/// collections beyond the wildcard lists, and each MAG's address held once.
/// </summary>
internal sealed class LmaRoutingTable
{
    private readonly Lock gate = new();
    private readonly Dictionary<FlowKey, MagAddress> exact = [];
    private readonly Dictionary<string, List<(FlowKey Key, MagAddress Mag)>> wildcards = [];
    private readonly Dictionary<(UInt128 Prefix, byte Length), (string MobileNode, MagAddress Mag)> prefixes = [];
    private readonly Dictionary<uint, (string MobileNode, MagAddress Mag)> homeAddresses = [];
    private readonly SortedSet<byte> prefixLengths = new(Comparer<byte>.Create((a, b) => b.CompareTo(a)));
    private readonly Dictionary<MagAddress, MagAddress> mags = [];

    public MagAddress Route(FlowTuple flow)
    {
        var key = FlowKey.Of(flow);
        lock (gate)
        {
            if (exact.TryGetValue(key, out var mag)) return mag;
            if (!TryAnchor(flow.Destination, out var anchor) && !TryAnchor(flow.Source, out anchor)) return MagAddress.None;
            if (wildcards.TryGetValue(anchor.MobileNode, out var entries))
            {
                foreach (var entry in entries)
                {
                    if (entry.Key.Matches(flow)) return entry.Mag;
                }
            }

            return anchor.Mag;
        }
    }

    public void SetBinding(string mobileNode, BindingCacheEntry entry)
    {
        lock (gate)
        {
            var mag = Intern(entry.Mag);
            if (entry.Prefix is { } hnp)
            {
                var address = FlowAddress.Prefix(hnp.Prefix, hnp.PrefixLength);
                prefixes[(FlowKey.Prefix(address.Value, hnp.PrefixLength), hnp.PrefixLength)] = (mobileNode, mag);
                prefixLengths.Add(hnp.PrefixLength);
            }

            if (entry.IPv4HomeAddress is { } hoa)
            {
                var value = (uint)FlowAddress.IPv4(hoa).Value;
                homeAddresses[value] = (mobileNode, mag);
            }
        }
    }

    public void RemoveBinding(string mobileNode, BindingCacheEntry entry)
    {
        lock (gate)
        {
            if (entry.Prefix is { } hnp)
            {
                var prefix = (FlowKey.Prefix(FlowAddress.Prefix(hnp.Prefix, hnp.PrefixLength).Value, hnp.PrefixLength), hnp.PrefixLength);
                if (prefixes.TryGetValue(prefix, out var owner) && owner.MobileNode == mobileNode) prefixes.Remove(prefix);
            }

            if (entry.IPv4HomeAddress is { } hoa)
            {
                var value = (uint)FlowAddress.IPv4(hoa).Value;
                if (homeAddresses.TryGetValue(value, out var owner) && owner.MobileNode == mobileNode) homeAddresses.Remove(value);
            }
        }
    }

    public void SetForwarding(string mobileNode, FlowKey key, MagAddress mag)
    {
        lock (gate)
        {
            mag = Intern(mag);
            if (key.IsExact)
            {
                exact[key] = mag;
                return;
            }

            if (!wildcards.TryGetValue(mobileNode, out var entries)) wildcards[mobileNode] = entries = [];
            entries.RemoveAll(e => e.Key == key);
            entries.Add((key, mag));
            entries.Sort((a, b) => b.Key.Specificity.CompareTo(a.Key.Specificity));
        }
    }

    public void RemoveForwarding(string mobileNode, FlowKey key)
    {
        lock (gate)
        {
            if (key.IsExact) exact.Remove(key);
            else if (wildcards.TryGetValue(mobileNode, out var entries)) entries.RemoveAll(e => e.Key == key);
        }
    }

    private bool TryAnchor(FlowAddress address, out (string MobileNode, MagAddress Mag) anchor)
    {
        anchor = default;
        if (address.IsWildcard) return false;
        if (address.IsIPv4) return homeAddresses.TryGetValue((uint)address.Value, out anchor);
        foreach (var length in prefixLengths)
        {
            if (length > address.PrefixLength) continue;
            if (prefixes.TryGetValue((FlowKey.Prefix(address.Value, length), length), out anchor)) return true;
        }

        return false;
    }

    /// <summary>One <see cref="MagAddress"/> per MAG: a million entries each holding its own copy of the address cost ~100 bytes apiece.</summary>
    private MagAddress Intern(MagAddress mag)
    {
        if (mags.TryGetValue(mag, out var held)) return held;
        mags[mag] = mag;
        return mag;
    }
}
