using MifActors.Pmip.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.MobilityAccessGateway.Internal;

/// <summary>
/// Admission control of one MAG (draft §3, "the T-MAG verifies that it can support the requested flow"): a capacity in
/// FFEs over all MNs and the QoS classes (DSCPs) this access network serves. Shared by the MN actors, idempotent per
/// MN so a recovering actor can restore what it holds.
/// </summary>
internal sealed class MagAdmission(int capacity, IReadOnlySet<int> admittedDscp)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<FlowKey>> held = [];
    private int count;

    public bool TryAdmit(string mobileNode, IReadOnlyList<FlowTuple> flows, out string reason)
    {
        foreach (var flow in flows)
        {
            foreach (var qos in new[] { flow.QosUplink, flow.QosDownlink })
            {
                if (admittedDscp.Count > 0 && (!qos.IsDscp || !admittedDscp.Contains(qos.Dscp)))
                {
                    reason = $"QoS {qos} of flow {flow} is not a class this access network serves (admitted DSCPs: {string.Join(", ", admittedDscp.Order())})";
                    return false;
                }
            }
        }

        lock (gate)
        {
            var mine = held.GetValueOrDefault(mobileNode);
            var added = flows.Select(FlowKey.Of).Distinct().Count(k => mine is null || !mine.Contains(k));
            if (count + added > capacity)
            {
                reason = $"{added} more flows would exceed the capacity of {capacity} FFEs ({count} in use)";
                return false;
            }

            Hold(mobileNode, flows.Select(FlowKey.Of));
        }

        reason = "";
        return true;
    }

    public void Hold(string mobileNode, IEnumerable<FlowKey> keys)
    {
        lock (gate)
        {
            if (!held.TryGetValue(mobileNode, out var mine)) held[mobileNode] = mine = [];
            foreach (var key in keys)
            {
                if (mine.Add(key)) count++;
            }
        }
    }

    public void Release(string mobileNode, IEnumerable<FlowKey> keys)
    {
        lock (gate)
        {
            if (!held.TryGetValue(mobileNode, out var mine)) return;
            foreach (var key in keys)
            {
                if (mine.Remove(key)) count--;
            }
        }
    }

    public void Clear(string mobileNode)
    {
        lock (gate)
        {
            if (held.Remove(mobileNode, out var mine)) count -= mine.Count;
        }
    }
}
