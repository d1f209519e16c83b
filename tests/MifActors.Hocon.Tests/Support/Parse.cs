namespace MifActors.Hocon.Tests.Support;

internal static class Parse
{
    /// <summary>Asserts that HOCON text resolves to the tree of the given JSON.</summary>
    public static void Equivalent(string hocon, string json, string? baseDirectory = null) =>
        JsonTree.Equal(JsonTree.Parse(json), Hocon.ParseToJson(hocon, baseDirectory));

    /// <summary>Parses text expected to fail and returns the exception.</summary>
    public static HoconException Fails(string hocon, string? baseDirectory = null) =>
        Assert.Throws<HoconException>(() => Hocon.ParseToJson(hocon, baseDirectory));
}
