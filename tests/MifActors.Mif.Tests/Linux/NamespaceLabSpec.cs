using System.Diagnostics;
using MifActors.Testing.Namespaces;

namespace MifActors.Mif.Tests.Linux;

/// <summary>The namespace lab cleans up after runs that were killed (needs root).</summary>
public sealed class NamespaceLabSpec
{
    [Fact]
    public void Namespaces_of_a_killed_run_are_removed_with_the_processes_still_inside()
    {
        // A pid that was there and is gone: the run that named the namespace was killed.
        using var ended = Process.Start("true")!;
        ended.WaitForExit();
        var leftover = $"mif-{ended.Id}-1-leftover";
        var kept = NetworkNamespace.Create("kept");
        try
        {
            Process.Start("ip", ["netns", "add", leftover])!.WaitForExit();
            using var inside = Process.Start("ip", ["netns", "exec", leftover, "sleep", "600"])!;

            NetworkNamespace.RemoveLeftovers();

            Assert.False(File.Exists($"/var/run/netns/{leftover}"), $"{leftover} is still there");
            Assert.True(inside.WaitForExit(5000), "the process inside the leftover namespace still runs");
            Assert.True(File.Exists(kept.Path), "a namespace of this run was removed");
        }
        finally
        {
            kept.Dispose();
            Process.Start("ip", ["netns", "delete", leftover])!.WaitForExit();
        }
    }
}
