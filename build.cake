// MifActors build script. `dotnet tool restore && dotnet cake` runs the tests (the default target).
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var quick = HasArgument("quick");
var filter = Argument("filter", "");
var solution = "./MifActors.sln";
var artifacts = Directory("./artifacts");

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .IsDependentOn("Build")
    .Does(() =>
{
    var results = artifacts + Directory("test-results");
    CleanDirectory(results);
    var projects = GetFiles("./tests/**/*.Tests.csproj");
    var failed = new List<string>();
    foreach (var project in projects)
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        Information($"--- {name}");
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                Filter = string.IsNullOrEmpty(filter) ? null : filter,
                ResultsDirectory = results,
                Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=minimal" },
            });
        }
        catch (Exception)
        {
            failed.Add(name);
        }
    }

    // One closing line over all projects, in the plain "N passed, N failed" form.
    int passed = 0, failedCount = 0, skipped = 0;
    XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    foreach (var trx in GetFiles($"{results}/*.trx"))
    {
        var counters = XDocument.Load(trx.FullPath).Descendants(ns + "Counters").FirstOrDefault();
        if (counters == null) continue;
        passed += (int?)counters.Attribute("passed") ?? 0;
        failedCount += (int?)counters.Attribute("failed") ?? 0;
        skipped += (int?)counters.Attribute("notExecuted") ?? 0;
    }
    // Plain Console: Cake's log colours numbers, and CI reads this line as text.
    Console.WriteLine();
    Console.WriteLine($"Tests: {passed} passed, {failedCount} failed, {skipped} skipped");
    if (failed.Count > 0 || failedCount > 0)
    {
        throw new Exception($"Test projects with failures: {string.Join(", ", failed)}");
    }
    if (passed == 0)
    {
        throw new Exception("No test ran.");
    }
});

Task("Bench")
    .Does(() =>
{
    var output = artifacts + Directory("bench");
    EnsureDirectoryExists(output);
    var args = new ProcessArgumentBuilder()
        .Append("--output").AppendQuoted(MakeAbsolute(output + File("results.jsonl")).FullPath);
    if (quick) args.Append("--quick");
    DotNetRun("./tests/MifActors.Benchmarks/MifActors.Benchmarks.csproj", args, new DotNetRunSettings
    {
        Configuration = "Release",
    });
});

Task("Default").IsDependentOn("Test");

RunTarget(target);
