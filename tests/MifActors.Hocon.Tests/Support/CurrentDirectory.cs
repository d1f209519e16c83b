namespace MifActors.Hocon.Tests.Support;

/// <summary>Tests that change the process's current directory take this lock, so they do not race.</summary>
internal static class CurrentDirectory
{
    public static readonly object Lock = new();
}
