namespace MifActors.Node.Tests.Support;

/// <summary>A directory of its own for one test's files (node configs), removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mifactors-node-").FullName;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in this directory and returns its full path.</summary>
    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
