using MifActors.Mif.Dns;

namespace MifActors.Mif.Host.Internal;

/// <summary>
/// RFC 6731-style choice of the PvD that translates a name when the request names none: the longest matching
/// mifactors.mif.dns-selection rule, else a PvD whose own search domains contain the name, else the first default
/// interface with a PvD that has DNS servers. Only PvDs with DNS servers are chosen.
/// </summary>
internal static class DnsSelection
{
    public static HostModel.Pvd? Choose(string name, DnsSelectionSettings settings, HostModel model)
    {
        var normalized = name.Trim().TrimEnd('.').ToLowerInvariant();
        var candidates = model.Pvds.Where(p => p.View.HasDnsServers).ToArray();

        foreach (var rule in settings.Rules.Where(r => Under(normalized, r.Suffix)).OrderByDescending(r => r.Suffix.Length))
        {
            var chosen = rule.PvdId is not null
                ? candidates.FirstOrDefault(p => p.View.PvdId == rule.PvdId)
                : candidates.FirstOrDefault(p => p.InterfaceName == rule.InterfaceName);
            if (chosen is not null)
            {
                return chosen;
            }
        }

        if (settings.UseSearchDomains)
        {
            var bySearchDomain = candidates
                .SelectMany(p => p.View.SearchDomains.Select(domain => (Pvd: p, Domain: domain.TrimEnd('.').ToLowerInvariant())))
                .Where(c => Under(normalized, c.Domain))
                .OrderByDescending(c => c.Domain.Length)
                .Select(c => c.Pvd)
                .FirstOrDefault();
            if (bySearchDomain is not null)
            {
                return bySearchDomain;
            }
        }

        return settings.DefaultInterfaces
            .Select(name => candidates.FirstOrDefault(p => p.InterfaceName == name))
            .FirstOrDefault(p => p is not null);
    }

    private static bool Under(string name, string suffix) =>
        suffix is "" or "." || name == suffix || name.EndsWith("." + suffix, StringComparison.Ordinal);
}
