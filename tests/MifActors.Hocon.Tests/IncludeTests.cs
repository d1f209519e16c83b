using MifActors.Hocon.Tests.Support;

namespace MifActors.Hocon.Tests;

/// <summary>Includes (HOCON.md, "Includes"): relative files, the include functions, substitution fix-up.</summary>
public sealed class IncludeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hocon-include-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Include_merges_the_file_at_the_point_of_inclusion()
    {
        Write("base.conf", "a = 1\nb = 2");
        Parse.Equivalent("a = 0\ninclude \"base.conf\"\nb = 3", """{"a": 1, "b": 3}""", _dir);
    }

    [Fact]
    public void Include_inside_an_object_nests_the_file_there()
    {
        Write("inner.conf", "x = 1");
        Parse.Equivalent("outer { include \"inner.conf\" }", """{"outer": {"x": 1}}""", _dir);
    }

    [Fact]
    public void Include_file_and_required_forms_are_read()
    {
        Write("one.conf", "one = 1");
        Write("two.conf", "two = 2");
        Write("three.conf", "three = 3");
        Parse.Equivalent("include file(\"one.conf\")\ninclude required(\"two.conf\")\ninclude required(file(\"three.conf\"))",
            """{"one": 1, "two": 2, "three": 3}""", _dir);
    }

    [Fact]
    public void A_missing_include_that_is_not_required_is_ignored() =>
        Parse.Equivalent("include \"nowhere.conf\"\na = 1", """{"a": 1}""", _dir);

    [Fact]
    public void Includes_are_relative_to_the_including_file()
    {
        Write("sub/child.conf", "include \"grandchild.conf\"\nc = 1");
        Write("sub/grandchild.conf", "g = 2");
        var main = Write("main.conf", "include \"sub/child.conf\"");
        JsonTree.Equal(JsonTree.Parse("""{"c": 1, "g": 2}"""), Hocon.ParseFileToJson(main));
    }

    [Fact]
    public void Include_without_an_extension_reads_conf_json_and_properties_with_conf_winning()
    {
        Write("all.conf", "a = conf");
        Write("all.json", """{"a": "json", "b": "json"}""");
        Write("all.properties", "a=props\nb=props\nc=props");
        Parse.Equivalent("include \"all\"", """{"a": "conf", "b": "json", "c": "props"}""", _dir);
    }

    [Fact]
    public void Properties_files_split_keys_on_dots_and_keep_values_as_strings()
    {
        Write("p.properties", "# comment\n! also a comment\na.b=1\na.c : two words\nlong = first \\\n   second\nesc=tab\\there");
        Parse.Equivalent("include \"p.properties\"", """{"a": {"b": "1", "c": "two words"}, "long": "first second", "esc": "tab\there"}""", _dir);
    }

    [Fact]
    public void Substitutions_in_an_included_file_are_relative_to_where_it_is_included()
    {
        Write("pool.conf", "size = 4\nmax = ${size}");
        Parse.Equivalent("pool { include \"pool.conf\" }", """{"pool": {"size": 4, "max": 4}}""", _dir);
    }

    [Fact]
    public void Substitutions_in_an_included_file_fall_back_to_the_root()
    {
        Write("uses-root.conf", "port = ${base-port}");
        Parse.Equivalent("base-port = 5436\nnode { include \"uses-root.conf\" }", """{"base-port": 5436, "node": {"port": 5436}}""", _dir);
    }

    [Fact]
    public void Plus_equals_in_an_included_file_appends_at_the_included_path()
    {
        Write("more.conf", "list += b");
        Parse.Equivalent("x { list = [a] }\nx { include \"more.conf\" }", """{"x": {"list": ["a", "b"]}}""", _dir);
    }

    [Fact]
    public void Classpath_include_reads_the_embedded_reference_conf()
    {
        var tree = Hocon.ParseToJson("include classpath(\"reference.conf\")", _dir);
        Assert.Equal(30, tree!["mifactors"]!["actor"]!["throughput"]!.GetValue<long>());
    }

    [Fact]
    public void Plain_include_of_reference_conf_falls_back_to_the_embedded_copy()
    {
        var tree = Hocon.ParseToJson("include \"reference.conf\"\nmifactors.actor.throughput = 5", _dir);
        Assert.Equal(5, tree!["mifactors"]!["actor"]!["throughput"]!.GetValue<long>());
        Assert.Equal("5s", tree["mifactors"]!["actor"]!["ask-timeout"]!.GetValue<string>());
    }

    [Fact]
    public void An_included_file_holding_an_array_is_refused()
    {
        Write("array.conf", "[1, 2]");
        Assert.Contains("must hold an object", Parse.Fails("include \"array.conf\"", _dir).Message);
    }

    [Fact]
    public void Errors_inside_an_included_file_name_that_file()
    {
        Write("broken.conf", "a = 1\nb = \"oops");
        var main = Write("main.conf", "include \"broken.conf\"");
        var e = Assert.Throws<HoconException>(() => Hocon.ParseFileToJson(main));
        Assert.EndsWith("broken.conf", e.File);
        Assert.Equal((2, 5), (e.Line, e.Column));
    }
}
