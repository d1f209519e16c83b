using System.Globalization;
using System.Net;
using System.Text.Json;

namespace MifActors.Testing.Namespaces;

/// <summary>
/// nftables rules inside one namespace, in a table of their own (<c>inet mif</c>): black holes, a share of packets
/// dropped, and named counters a test reads. The namespace's removal removes the table with it.
/// Our kernel has no netem, so delays are not made here; they belong in simulated networks.
/// </summary>
public sealed class Nftables
{
    private const string Table = "mif";
    private readonly NetworkNamespace space;

    private Nftables(NetworkNamespace space) => this.space = space;

    /// <summary>Creates the table with an output and a forward chain, both accepting by default.</summary>
    public static Nftables Create(NetworkNamespace space)
    {
        space.ExecuteWithInput(
            $$"""
            table inet {{Table}} {
              chain output { type filter hook output priority 0; policy accept; }
              chain forward { type filter hook forward priority 0; policy accept; }
              chain input { type filter hook input priority 0; policy accept; }
            }
            """,
            "nft", "-f", "-");
        return new Nftables(space);
    }

    /// <summary>Drops every packet to <paramref name="destination"/> that this namespace sends or forwards.</summary>
    public void BlackHole(IPAddress destination)
    {
        var family = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6" : "ip";
        foreach (var chain in (string[])["output", "forward"]) Add(chain, $"{family} daddr {destination} drop");
    }

    /// <summary>Drops <paramref name="percent"/> % of the packets leaving through <paramref name="interfaceName"/>, at random.</summary>
    public void DropShare(string interfaceName, int percent)
    {
        if (percent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent), percent, "a share is 0 to 100 %");
        foreach (var chain in (string[])["output", "forward"])
            Add(chain, string.Create(CultureInfo.InvariantCulture, $"oifname \"{interfaceName}\" numgen random mod 100 < {percent} drop"));
    }

    /// <summary>
    /// Counts, under <paramref name="counter"/>, the packets of <paramref name="chain"/> (output, input, forward) that
    /// match <paramref name="match"/> (nft syntax, e.g. <c>oifname "veth1" udp dport 53</c>).
    /// </summary>
    public void Count(string counter, string chain, string match)
    {
        space.Execute("nft", "add", "counter", "inet", Table, counter);
        Add(chain, $"{match} counter name \"{counter}\"");
    }

    /// <summary>The packets counted so far under <paramref name="counter"/>.</summary>
    public long Packets(string counter)
    {
        using var json = JsonDocument.Parse(space.Execute("nft", "-j", "list", "counter", "inet", Table, counter));
        foreach (var item in json.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("counter", out var found)) return found.GetProperty("packets").GetInt64();
        }

        throw new InvalidOperationException($"nft listed no counter {counter} in {space.Name}");
    }

    private void Add(string chain, string rule) => space.ExecuteWithInput($"add rule inet {Table} {chain} {rule}\n", "nft", "-f", "-");
}
