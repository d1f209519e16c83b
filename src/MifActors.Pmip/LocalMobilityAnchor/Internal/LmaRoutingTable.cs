using MifActors.Pmip.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// The LMA's forwarding decision as a structure the data plane can read from any thread: exact FFEs in one
/// dictionary, each MN's wildcard FFEs in a short list sorted most specific first, and the BCEs indexed by HNP (one
/// dictionary per prefix length in use, usually only /64) and by IPv4 home address. A lookup is a few hash probes
/// plus a scan of one MN's wildcard entries. Written only by the MN actors, after their events are durable.
/// </summary>
internal sealed class LmaRoutingTable
{
    private readonly Lock gate = new();
    private readonly Dictionary<FlowKey, MagAddress> exact = [];
    private readonly Dictionary<string, List<(FlowKey Key, MagAddress Mag)>> wildcards = [];
    private readonly Dictionary<(UInt128 Prefix, byte Length), (string MobileNode, MagAddress Mag)> prefixes = [];
    private readonly Dictionary<uint, (string MobileNode, MagAddress Mag)> homeAddresses = [];
    private readonly SortedSet<byte> prefixLengths = new(Comparer<byte>.Create((a, b) => b.CompareTo(a)));
    private readonly Dictionary<string, HashSet<object>> owned = [];

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
            if (entry.Prefix is { } hnp)
            {
                var address = FlowAddress.Prefix(hnp.Prefix, hnp.PrefixLength);
                prefixes[(FlowKey.Prefix(address.Value, hnp.PrefixLength), hnp.PrefixLength)] = (mobileNode, entry.Mag);
                prefixLengths.Add(hnp.PrefixLength);
                Own(mobileNode, (FlowKey.Prefix(address.Value, hnp.PrefixLength), hnp.PrefixLength));
            }

            if (entry.IPv4HomeAddress is { } hoa)
            {
                var value = (uint)FlowAddress.IPv4(hoa).Value;
                homeAddresses[value] = (mobileNode, entry.Mag);
                Own(mobileNode, value);
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
            Own(mobileNode, key);
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

    /// <summary>Forgets everything one MN put here: its actor is about to rebuild it from its events.</summary>
    public void Clear(string mobileNode)
    {
        lock (gate)
        {
            wildcards.Remove(mobileNode);
            if (!owned.Remove(mobileNode, out var keys)) return;
            foreach (var key in keys)
            {
                switch (key)
                {
                    case FlowKey flow:
                        exact.Remove(flow);
                        break;
                    case ValueTuple<UInt128, byte> prefix when prefixes.TryGetValue(prefix, out var owner) && owner.MobileNode == mobileNode:
                        prefixes.Remove(prefix);
                        break;
                    case uint hoa when homeAddresses.TryGetValue(hoa, out var owner) && owner.MobileNode == mobileNode:
                        homeAddresses.Remove(hoa);
                        break;
                }
            }
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

    private void Own(string mobileNode, object key)
    {
        if (!owned.TryGetValue(mobileNode, out var keys)) owned[mobileNode] = keys = [];
        keys.Add(key);
    }
}
