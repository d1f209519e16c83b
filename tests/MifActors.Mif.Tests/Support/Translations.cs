using System.Net;
using Akka.TestKit;
using MifActors.Mif.Api;

namespace MifActors.Mif.Tests.Support;

/// <summary>What a probe received for translations, collected until each of them ended.</summary>
public static class Translations
{
    /// <summary>Receives until every id got NameTranslationComplete or NoNameTranslation; the addresses and the end of each.</summary>
    public static Dictionary<string, (List<IPAddress> Addresses, IFromMifApi End)> Collect(TestProbe probe, params string[] ids)
    {
        var addresses = ids.ToDictionary(id => id, _ => new List<IPAddress>());
        var ends = new Dictionary<string, IFromMifApi>();
        while (ends.Count < ids.Length)
        {
            switch (probe.ExpectMsg<IFromMifApi>(TimeSpan.FromSeconds(10)))
            {
                case NameTranslation t:
                    Assert.False(ends.ContainsKey(t.TranslationId), $"{t} came after the end of its translation");
                    addresses[t.TranslationId].Add(t.Address);
                    break;
                case NameTranslationComplete c:
                    ends.Add(c.TranslationId, c);
                    break;
                case NoNameTranslation n:
                    ends.Add(n.TranslationId, n);
                    break;
                case var other:
                    Assert.Fail($"expected translations, got {other}");
                    break;
            }
        }
        return ids.ToDictionary(id => id, id => (addresses[id], ends[id]));
    }

    public static HashSet<IPAddress> Set(params string[] addresses) => addresses.Select(IPAddress.Parse).ToHashSet();
}
