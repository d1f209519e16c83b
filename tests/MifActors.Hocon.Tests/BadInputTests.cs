using System.Text;
using Microsoft.Extensions.Configuration;
using MifActors.Hocon.Tests.Support;

namespace MifActors.Hocon.Tests;

/// <summary>
/// Every kind of broken input ends in a HoconException that says where (file:line:column) and
/// what to do: never a stack overflow, a hang or a NullReferenceException.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hocon-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Missing_separator_names_the_key_with_file_line_and_column()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "hocon"));
        var lines = Enumerable.Repeat("# comment", 13).Append("        lifetime").Append("        30s").Append("");
        File.WriteAllText(Path.Combine(_dir, "hocon", "lma.conf"), string.Join("\n", lines));
        var previous = Directory.GetCurrentDirectory();
        HoconException e;
        lock (CurrentDirectory.Lock)
        {
            Directory.SetCurrentDirectory(_dir);
            try
            {
                e = Assert.Throws<HoconException>(() => Hocon.ParseFileToJson(Path.Combine("hocon", "lma.conf")));
            }
            finally
            {
                Directory.SetCurrentDirectory(previous);
            }
        }

        Assert.Equal("hocon/lma.conf:14:9: expected '=' or ':' after key \"lifetime\"", e.Message);
        Assert.Equal("hocon/lma.conf", e.File);
        Assert.Equal(14, e.Line);
        Assert.Equal(9, e.Column);
    }

    [Fact]
    public void Unterminated_quoted_string_points_at_its_opening_quote()
    {
        var e = Parse.Fails("a = 1\nb = \"never closed\nc = 2");
        Assert.Equal((2, 5), (e.Line, e.Column));
        Assert.Contains("unterminated quoted string", e.Message);
        Assert.StartsWith("(string):2:5:", e.Message);
    }

    [Fact]
    public void Unterminated_quoted_string_at_the_end_of_the_file_is_reported() =>
        Assert.Contains("unterminated quoted string", Parse.Fails("a = \"abc").Message);

    [Fact]
    public void Unterminated_triple_quoted_string_is_reported()
    {
        var e = Parse.Fails("a = \"\"\"abc\n\ndef");
        Assert.Equal((1, 5), (e.Line, e.Column));
        Assert.Contains("unterminated triple-quoted string", e.Message);
    }

    [Fact]
    public void Unclosed_brace_points_at_the_brace_that_is_never_closed()
    {
        var e = Parse.Fails("a {\n  b = 1\n  c {\n    d = 2\n  }\n");
        Assert.Equal((1, 3), (e.Line, e.Column));
        Assert.Contains("never closed: add the missing '}'", e.Message);
    }

    [Fact]
    public void Extra_closing_brace_is_reported()
    {
        var e = Parse.Fails("a { b = 1 }\n}");
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Contains("unbalanced '}'", e.Message);
    }

    [Fact]
    public void Unclosed_bracket_is_reported()
    {
        var e = Parse.Fails("a = [1, 2\nb = 3");
        Assert.Contains("is the '[' at 1:5 missing its ']'?", e.Message);
        Assert.Equal((2, 3), (e.Line, e.Column));
    }

    [Fact]
    public void Brace_closing_an_array_is_reported() =>
        Assert.Contains("close the array with ']'", Parse.Fails("a = [1, 2}").Message);

    [Fact]
    public void Bad_escape_names_the_escape_and_the_ones_allowed()
    {
        var e = Parse.Fails("path = \"C:\\temp\\qux\"");
        Assert.Equal((1, 16), (e.Line, e.Column));
        Assert.Contains("bad escape '\\q'", e.Message);
        Assert.Contains("\\\\ for a backslash", e.Message);
    }

    [Fact]
    public void Bad_unicode_escape_is_reported() => Assert.Contains("four hex digits", Parse.Fails("a = \"\\u12\"").Message);

    [Fact]
    public void Missing_required_include_names_the_file_looked_for()
    {
        var e = Parse.Fails("a = 1\ninclude required(\"missing.conf\")", _dir);
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Contains("required include \"missing.conf\" not found", e.Message);
        Assert.Contains(Path.Combine(_dir, "missing.conf"), e.Message);
    }

    [Fact]
    public void Unresolved_required_substitution_says_how_to_make_it_optional()
    {
        var e = Parse.Fails("a = 1\nb = ${no.such.key}");
        Assert.Equal((2, 5), (e.Line, e.Column));
        Assert.Contains("${no.such.key}", e.Message);
        Assert.Contains("${?...}", e.Message);
    }

    [Fact]
    public void Substitution_cycle_lists_the_chain()
    {
        var e = Parse.Fails("a = ${b}\nb = ${c}\nc = ${a}");
        Assert.Contains("cycle", e.Message);
        Assert.Contains("${a}", e.Message);
        Assert.True(e.Line > 0);
    }

    [Fact]
    public void Object_containing_a_substitution_of_itself_is_a_cycle() =>
        Assert.Contains("cycle", Parse.Fails("a { b = ${a} }").Message);

    [Fact]
    public void Self_reference_with_no_earlier_value_is_reported()
    {
        var e = Parse.Fails("a = ${a}x");
        Assert.Contains("no earlier value", e.Message);
    }

    [Fact]
    public void Key_with_no_value_is_reported()
    {
        var e = Parse.Fails("a = 1\nb =\n}");
        Assert.Contains("key \"b\" has no value", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Key_with_no_value_at_the_end_of_the_file_is_reported() =>
        Assert.Contains("key \"b\" has no value", Parse.Fails("a = 1\nb = ").Message);

    [Fact]
    public void A_hundred_thousand_nested_objects_fail_cleanly()
    {
        var text = string.Concat(Enumerable.Repeat("{a:", 100_000)) + new string('}', 100_000);
        var e = OnSmallStack(() => Parse.Fails(text));
        Assert.Contains($"nested more than {256} levels deep", e.Message);
        Assert.Equal((1, 3 * 256 + 1), (e.Line, e.Column));
    }

    [Fact]
    public void A_hundred_thousand_bare_nested_braces_fail_cleanly()
    {
        var text = new string('{', 100_000) + new string('}', 100_000);
        var e = OnSmallStack(() => Parse.Fails("a = " + text));
        Assert.Contains("expected a key, found '{'", e.Message);
        Assert.Equal((1, 6), (e.Line, e.Column));
    }

    [Fact]
    public void A_hundred_thousand_nested_brackets_fail_cleanly()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);
        var e = OnSmallStack(() => Parse.Fails(text));
        Assert.Contains("nested more than", e.Message);
    }

    [Fact]
    public void A_hundred_thousand_nested_path_keys_fail_cleanly()
    {
        var text = string.Join(".", Enumerable.Repeat("k", 100_000)) + " = 1";
        var e = OnSmallStack(() => Assert.Throws<HoconException>(() => Hocon.ParseToJson(text)));
        Assert.Contains("nests more than", e.Message);
    }

    [Fact]
    public void A_long_chain_of_substitutions_fails_cleanly()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 100_000; i++) sb.Append("k").Append(i).Append(" = ${k").Append(i + 1).Append("}\n");
        sb.Append("k100000 = 1\n");
        var e = OnSmallStack(() => Parse.Fails(sb.ToString()));
        Assert.Contains("nested more than", e.Message);
    }

    [Fact]
    public void A_fifty_megabyte_quoted_value_is_read()
    {
        var big = new string('x', 50 * 1024 * 1024);
        var tree = Hocon.ParseToJson("a = \"" + big + "\"\nb = 1");
        Assert.Equal(big.Length, tree!["a"]!.GetValue<string>().Length);
    }

    [Fact]
    public void A_fifty_megabyte_unquoted_value_is_read()
    {
        var big = new string('x', 50 * 1024 * 1024);
        var config = new ConfigurationBuilder().AddHoconString("a = " + big + " y").Build();
        Assert.Equal(big.Length + 2, config["a"]!.Length);
    }

    [Fact]
    public void A_file_that_includes_itself_is_reported()
    {
        var path = Path.Combine(_dir, "loop.conf");
        File.WriteAllText(path, "a = 1\ninclude \"loop.conf\"\n");
        var e = Assert.Throws<HoconException>(() => Hocon.ParseFileToJson(path));
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Contains("includes itself (loop.conf -> loop.conf)", e.Message);
    }

    [Fact]
    public void Files_that_include_each_other_are_reported()
    {
        File.WriteAllText(Path.Combine(_dir, "one.conf"), "include \"two.conf\"\n");
        File.WriteAllText(Path.Combine(_dir, "two.conf"), "x = 1\ninclude \"one.conf\"\n");
        var e = Assert.Throws<HoconException>(() => Hocon.ParseFileToJson(Path.Combine(_dir, "one.conf")));
        Assert.Contains("one.conf -> two.conf -> one.conf", e.Message);
        Assert.EndsWith("two.conf", e.File);
    }

    [Fact]
    public void Mixing_an_array_and_a_string_in_a_concatenation_is_reported() =>
        Assert.Contains("cannot concatenate", Parse.Fails("a = [1]\nb = ${a} hello").Message);

    [Fact]
    public void Forbidden_character_in_an_unquoted_value_says_to_quote_it() =>
        Assert.Contains("found ':' (put a value containing it in double quotes)", Parse.Fails("url = localhost:8080").Message);

    [Fact]
    public void Empty_path_element_says_to_quote_the_key() =>
        Assert.Contains("empty element", Parse.Fails("a..b = 1").Message);

    [Fact]
    public void Double_comma_is_reported() => Assert.Contains("extra comma", Parse.Fails("a = [1,,2]").Message);

    [Fact]
    public void Url_includes_are_refused_with_a_way_out() =>
        Assert.Contains("not supported", Parse.Fails("include url(\"http://example.com/a.conf\")").Message);

    [Fact]
    public void Unclosed_substitution_is_reported() =>
        Assert.Contains("never closed", Parse.Fails("a = ${b\nc = 1").Message);

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var e = Assert.Throws<HoconException>(() => Hocon.ParseFileToJson(Path.Combine(_dir, "nope.conf")));
        Assert.Contains("file not found", e.Message);
    }

    [Theory]
    [InlineData("a = 1 = 2")]
    [InlineData("a = }")]
    [InlineData("a = $")]
    [InlineData("{ a = 1 } b = 2")]
    [InlineData("a = \"\"\"")]
    [InlineData("\"")]
    [InlineData("a = ${}")]
    [InlineData("a = ${?")]
    [InlineData("a : [")]
    [InlineData("include")]
    [InlineData("include \"")]
    [InlineData("include required(")]
    [InlineData("a.")]
    [InlineData(".a = 1")]
    [InlineData("a = \"\\")]
    [InlineData("a = \"\\u")]
    [InlineData("+= 1")]
    [InlineData("a += ")]
    public void Truncated_and_garbled_input_gives_a_located_error(string text)
    {
        var e = Parse.Fails(text);
        Assert.True(e.Line >= 1 && e.Column >= 1, e.Message);
        Assert.StartsWith("(string):", e.Message);
    }

    /// <summary>Runs on a 1 MB stack, as small as a thread-pool thread's, so depth handling is really tested.</summary>
    private static T OnSmallStack<T>(Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error is not null) throw error;
        return result;
    }
}
