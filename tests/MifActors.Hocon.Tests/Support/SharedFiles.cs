namespace MifActors.Hocon.Tests.Support;

/// <summary>Finds the shared conformance files and the repository's hocon/ folder from the test's directory.</summary>
internal static class SharedFiles
{
    /// <summary>
    /// <c>shared/conformance/hocon</c>, found upwards from the test assembly: beside the repository
    /// folder in CI (<c>clone/../shared</c>), or inside it.
    /// </summary>
    public static string? FindConformanceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, "shared", "conformance", "hocon"),
                         Path.Combine(dir.FullName, "..", "shared", "conformance", "hocon"),
                     })
            {
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    public static string ConformanceRoot => FindConformanceRoot()
        ?? throw new DirectoryNotFoundException(
            $"shared/conformance/hocon was not found above {AppContext.BaseDirectory}: the HOCON conformance suites " +
            "must sit in a 'shared' folder beside the repository (or inside it)");

    /// <summary>The repository's <c>hocon/</c> folder (reference.conf and the role files).</summary>
    public static string HoconFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "hocon", "reference.conf");
                if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "MifActors.sln")))
                {
                    return Path.GetDirectoryName(candidate)!;
                }
            }

            throw new DirectoryNotFoundException($"the repository's hocon/ folder was not found above {AppContext.BaseDirectory}");
        }
    }
}
