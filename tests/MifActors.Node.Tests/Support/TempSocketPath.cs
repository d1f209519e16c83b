namespace MifActors.Node.Tests.Support;

/// <summary>A socket path of its own for one test (short: a socket path holds at most 107 bytes), removed afterwards.</summary>
public sealed class TempSocketPath : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mift-{Guid.NewGuid():N}"[..17] + ".sock");

    public override string ToString() => Path;

    public void Dispose() => File.Delete(Path);
}
