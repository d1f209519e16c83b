using MifActors.Hocon.Tests.Support;

namespace MifActors.Hocon.Tests;

/// <summary>
/// lightbend/config's equivalence suites: in each equivNN folder every .conf and .json file must
/// resolve to the same tree as original.json.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        var root = SharedFiles.FindConformanceRoot();
        if (root is null)
        {
            // Keep one row so the theory runs and fails with the reason, instead of vanishing.
            data.Add("(missing)", "shared/conformance/hocon not found");
            return data;
        }

        foreach (var folder in Directory.GetDirectories(root, "equiv*").Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (name == "original.json" || !(name.EndsWith(".conf", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)))
                {
                    continue;
                }

                data.Add(Path.GetFileName(folder), name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_file_resolves_to_the_same_tree_as_original_json(string folder, string file)
    {
        var root = SharedFiles.ConformanceRoot;
        var directory = Path.Combine(root, folder);
        var expected = JsonTree.Parse(File.ReadAllText(Path.Combine(directory, "original.json")));
        var actual = Hocon.ParseFileToJson(Path.Combine(directory, file));
        JsonTree.Equal(expected, actual, $"{folder}/{file}: ");
    }

    [Fact]
    public void All_five_equivalence_folders_are_present()
    {
        var root = SharedFiles.ConformanceRoot;
        var folders = Directory.GetDirectories(root, "equiv*").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "equiv01", "equiv02", "equiv03", "equiv04", "equiv05" }, folders);
    }

    [Fact]
    public void Original_json_files_parse_as_hocon_to_themselves()
    {
        foreach (var folder in Directory.GetDirectories(SharedFiles.ConformanceRoot, "equiv*"))
        {
            var path = Path.Combine(folder, "original.json");
            JsonTree.Equal(JsonTree.Parse(File.ReadAllText(path)), Hocon.ParseFileToJson(path), $"{path}: ");
        }
    }
}
