using MifActors.Node.Configuration.Internal;
using MifActors.Node.Tests.Support;

namespace MifActors.Node.Tests.Configuration;

public sealed class HoconStructureCheckSpec
{
    [Theory]
    [InlineData("a = [1, 2", 1, 5, "'[' opened here is never closed")]
    [InlineData("a {\n  b {\n    c = 1\n  }\n", 1, 3, "'{' opened here is never closed")]
    [InlineData("a { b = [1 }", 1, 12, "'}' closes the '[' opened at 1:9; expected ']' first")]
    [InlineData("a = 1\n}\nb = 2", 2, 1, "'}' has no '{' to close")]
    [InlineData("a = ]", 1, 5, "']' has no '[' to close")]
    [InlineData("a = \"abc\nb = 4", 1, 5, "'\"' opened here is not closed on its line")]
    [InlineData("a = \"\"\"abc\nb = 4", 1, 5, "'\"\"\"' opened here is never closed")]
    [InlineData("a {\n  b = ${?HOME}\n}", 2, 7, "'${?' (an optional substitution) is not supported")]
    [InlineData("b = = 3", 1, 5, "'=' follows the separator at 1:3 with no value between them")]
    [InlineData("b : = 3", 1, 5, "'=' follows the separator at 1:3 with no value between them")]
    public void A_structural_fault_is_reported_where_it_is(string text, int line, int column, string message)
    {
        var problem = HoconStructureCheck.Check(text);

        Assert.NotNull(problem);
        Assert.Equal((line, column), (problem.Value.Line, problem.Value.Column));
        Assert.StartsWith(message, problem.Value.Message);
    }

    [Theory]
    [InlineData("a = [1, 2] # a comment with [ and {")]
    [InlineData("a = [1, 2] // a comment with \" and ]")]
    [InlineData("a = \"a string with [ { } ] and an \\\" escaped quote\"")]
    [InlineData("a = \"\"\"a triple-quoted string\nover lines with [ and \" and {\"\"\"")]
    [InlineData("a = \"\"\"ends in four quotes\"\"\"\"")]
    [InlineData("a = ${b}\nb = 1")]
    [InlineData("a { b = 1, c = [x, y] }\nd.e = \"http://example.com/path\"")]
    [InlineData("a += 3")]
    [InlineData("include \"other.conf\"\na = 1")]
    [InlineData("")]
    public void Well_formed_text_passes(string text)
    {
        Assert.Null(HoconStructureCheck.Check(text));
    }

    [Theory]
    [InlineData("node.conf")]
    [InlineData("mif.conf")]
    [InlineData("host.conf")]
    public void The_files_a_host_agent_node_reads_pass(string name)
    {
        var text = File.ReadAllText(Repository.File($"hocon/{name}"));

        Assert.Null(HoconStructureCheck.Check(text));
    }
}
