using System.Text.Json;

namespace MifActors.Benchmarks;

/// <summary>One measured number: printed as one JSON object per line.</summary>
public sealed record BenchResult(string Name, double Value, string Unit);

/// <summary>How a benchmark run was asked for.</summary>
/// <param name="Quick">The `--quick` mode: smaller sizes, fewer rounds, whole run under 2 minutes.</param>
/// <param name="Filter">Only benchmarks whose name contains this run, when set.</param>
public sealed record BenchOptions(bool Quick, string? Filter);

/// <summary>
/// A benchmark. Implementations are found by reflection; each yields its results as it measures,
/// so a long run shows progress, and baselines are measured in the same run as what they anchor.
/// </summary>
public interface IBenchmark
{
    string Name { get; }

    IEnumerable<BenchResult> Run(BenchOptions options);
}

internal static class Harness
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// The gen0 budget the benchmarks run with: 128 MB, as an actor-heavy service would be configured. Spawning
    /// a million actors otherwise spends most of its time promoting live actors out of a small gen0. The GC
    /// reads it only from the environment, so the harness starts itself again with it set.
    /// </summary>
    private const string Gen0Budget = "0x8000000";

    public static int Main(string[] args)
    {
        if (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null && Environment.ProcessPath is { } self)
        {
            var start = new System.Diagnostics.ProcessStartInfo(self) { UseShellExecute = false };
            foreach (var arg in args) start.ArgumentList.Add(arg);
            start.Environment["DOTNET_GCgen0size"] = Gen0Budget;
            using var child = System.Diagnostics.Process.Start(start)!;
            child.WaitForExit();
            return child.ExitCode;
        }

        var quick = args.Contains("--quick");
        string? output = null;
        string? filter = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--output") output = args[i + 1];
            if (args[i] == "--filter") filter = args[i + 1];
        }

        var options = new BenchOptions(quick, filter);
        using var sink = output is null ? null : new StreamWriter(output, append: false);
        var benchmarks = typeof(Harness).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .Where(b => filter is null || b.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();

        Console.Error.WriteLine(
            $"# {benchmarks.Count} benchmarks, {(quick ? "quick" : "full")} mode, {Environment.ProcessorCount} processors, gen0 budget {Environment.GetEnvironmentVariable("DOTNET_GCgen0size")}");
        foreach (var benchmark in benchmarks)
        {
            Console.Error.WriteLine($"# {benchmark.Name}");
            foreach (var result in benchmark.Run(options))
            {
                var line = JsonSerializer.Serialize(result, Json);
                Console.WriteLine(line);
                sink?.WriteLine(line);
                sink?.Flush();
            }
        }

        return 0;
    }
}
