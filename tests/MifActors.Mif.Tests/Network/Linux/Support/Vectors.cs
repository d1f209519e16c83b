namespace MifActors.Mif.Tests.Network.Linux.Support;

/// <summary>The captured messages of Network/Linux/Vectors (see its README), by label, in capture order.</summary>
internal static class Vectors
{
    public static IReadOnlyList<byte[]> Rtnetlink(string label) => Read("rtnetlink-6.18.hex", label);

    public static IReadOnlyList<byte[]> Radvd(string label) => Read("radvd-2.19.hex", label);

    /// <summary>Every datagram of a file, for the fuzz tests' seeds.</summary>
    public static IReadOnlyList<byte[]> All(string file) =>
        Lines(file).Select(line => Convert.FromHexString(line[(line.IndexOf(' ') + 1)..])).ToArray();

    private static IReadOnlyList<byte[]> Read(string file, string label)
    {
        var found = Lines(file).Where(line => line.StartsWith(label + " ", StringComparison.Ordinal))
            .Select(line => Convert.FromHexString(line[(label.Length + 1)..])).ToArray();
        return found.Length > 0 ? found : throw new ArgumentException($"{file} has no vector labelled {label}", nameof(label));
    }

    private static IEnumerable<string> Lines(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Network", "Linux", "Vectors", file)).Where(line => line.Length > 0);
}
