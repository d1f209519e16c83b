namespace MifActors.Node.Tests.Support;

/// <summary>Files of the repository the tests run in (the shipped HOCON files).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The path of <paramref name="relative"/> (e.g. <c>hocon/host.conf</c>) in the repository.</summary>
    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "MifActors.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("the tests run outside the repository");
    }
}
