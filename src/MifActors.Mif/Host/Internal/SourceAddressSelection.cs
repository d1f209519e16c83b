using System.Net;
using System.Net.Sockets;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// Picks the source address of a connection among a PvD's addresses, by the RFC 6724 section 5 rules that apply
/// inside one PvD: the destination's family, matching scope (rule 2), preferred over deprecated (rule 3), then the
/// longest prefix shared with the destination (rule 8). Ties keep the PvD's order.
/// </summary>
internal static class SourceAddressSelection
{
    public static IPAddress? Choose(IEnumerable<AddressView> candidates, IPAddress destination) =>
        candidates
            .Where(c => c.Address.AddressFamily == destination.AddressFamily)
            .Select((c, index) => (Candidate: c, Index: index))
            .OrderByDescending(c => SameScope(c.Candidate.Address, destination))
            .ThenBy(c => c.Candidate.Deprecated)
            .ThenByDescending(c => Prefixes.CommonLength(c.Candidate.Address, destination))
            .ThenBy(c => c.Index)
            .Select(c => c.Candidate.Address)
            .FirstOrDefault();

    private static bool SameScope(IPAddress source, IPAddress destination) =>
        destination.AddressFamily == AddressFamily.InterNetworkV6
            ? source.IsIPv6LinkLocal == destination.IsIPv6LinkLocal
            : true;
}
