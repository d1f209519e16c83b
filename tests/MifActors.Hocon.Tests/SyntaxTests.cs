using MifActors.Hocon.Tests.Support;

namespace MifActors.Hocon.Tests;

/// <summary>The syntax rules of HOCON.md, one test per rule, mostly with the spec's own examples.</summary>
public sealed class SyntaxTests
{
    [Fact]
    public void Json_is_valid_hocon() =>
        Parse.Equivalent("""{"a": [1, 2.5, -3e2, true, false, null, "s"], "b": {"c": {}}}""",
            """{"a": [1, 2.5, -300, true, false, null, "s"], "b": {"c": {}}}""");

    [Fact]
    public void Hash_and_double_slash_start_comments() =>
        Parse.Equivalent("""
            # a comment
            a = 1 // another
            // b = 2
            c = "# not a comment" # but this is
            """, """{"a": 1, "c": "# not a comment"}""");

    [Fact]
    public void Root_braces_are_optional() => Parse.Equivalent("a = 1\nb = 2", """{"a": 1, "b": 2}""");

    [Fact]
    public void An_empty_document_is_an_empty_object() => Parse.Equivalent("  # nothing here\n", "{}");

    [Fact]
    public void Equals_colon_or_nothing_before_a_brace_separate_key_and_value() =>
        Parse.Equivalent("a = 1\nb : 2\nc { d = 3 }", """{"a": 1, "b": 2, "c": {"d": 3}}""");

    [Fact]
    public void Commas_are_optional_where_a_newline_separates() =>
        Parse.Equivalent("a = [1\n2\n3]\nb = 1\nc = [4, 5,]\nd { x = 1, y = 2, }",
            """{"a": [1, 2, 3], "b": 1, "c": [4, 5], "d": {"x": 1, "y": 2}}""");

    [Fact]
    public void Unquoted_strings_run_to_the_end_of_the_value() =>
        Parse.Equivalent("a = hello world\nb = some.dotted/path-with_chars", """{"a": "hello world", "b": "some.dotted/path-with_chars"}""");

    [Fact]
    public void True_false_null_and_numbers_keep_their_type_only_when_alone() =>
        Parse.Equivalent("a = true\nb = 42\nc = 42 true\nd = null\ne = 10s\nf = 1.0.0\ng = -0.5e-3",
            """{"a": true, "b": 42, "c": "42 true", "d": null, "e": "10s", "f": "1.0.0", "g": -0.0005}""");

    [Fact]
    public void Quoted_strings_decode_json_escapes() =>
        Parse.Equivalent("""a = "tab\there \"q\" \\ \/ \u00e9 \n" """, """{"a": "tab\there \"q\" \\ / é \n"}""");

    [Fact]
    public void Triple_quoted_strings_keep_newlines_and_backslashes_raw() =>
        Parse.Equivalent("a = \"\"\"line one\n  line \\two \"quoted\"\"\"\"", """{"a": "line one\n  line \\two \"quoted\""}""");

    [Fact]
    public void String_concatenation_keeps_the_whitespace_between_values() =>
        Parse.Equivalent("""a = foo "bar"   baz  """, """{"a": "foo bar   baz"}""");

    [Fact]
    public void Array_concatenation_joins_arrays() =>
        Parse.Equivalent("a = [1, 2] [3]\nb = ${a} [4]", """{"a": [1, 2, 3], "b": [1, 2, 3, 4]}""");

    [Fact]
    public void Object_concatenation_merges_objects() =>
        Parse.Equivalent("base { x = 1, y = 2 }\nc = ${base} { y = 3, z = 4 }",
            """{"base": {"x": 1, "y": 2}, "c": {"x": 1, "y": 3, "z": 4}}""");

    [Fact]
    public void Path_expressions_build_nested_objects() =>
        Parse.Equivalent("a.b.c = 1\na.b.d = 2", """{"a": {"b": {"c": 1, "d": 2}}}""");

    [Fact]
    public void Quoted_path_segments_may_hold_dots() =>
        Parse.Equivalent("""a."b.c".d = 1""" + "\n\"x.y\" = 2", """{"a": {"b.c": {"d": 1}}, "x.y": 2}""");

    [Fact]
    public void Whitespace_inside_a_key_belongs_to_the_key() =>
        Parse.Equivalent("foo bar = 1", """{"foo bar": 1}""");

    [Fact]
    public void Numbers_as_keys_are_strings() =>
        Parse.Equivalent("10.5 = x\n1 = y", """{"10": {"5": "x"}, "1": "y"}""");

    [Fact]
    public void Duplicate_keys_merge_objects_and_the_later_value_wins() =>
        Parse.Equivalent("foo { a = 1, b = 2 }\nfoo { b = 3, c = 4 }\nbar = 1\nbar = 2",
            """{"foo": {"a": 1, "b": 3, "c": 4}, "bar": 2}""");

    [Fact]
    public void A_non_object_value_replaces_an_earlier_object_and_the_other_way_round() =>
        Parse.Equivalent("foo { a = 1 }\nfoo = 5\nbar = 5\nbar { b = 1 }\nbaz { a = 1 }\nbaz = null\nbaz { c = 3 }",
            """{"foo": 5, "bar": {"b": 1}, "baz": {"c": 3}}""");

    [Fact]
    public void Plus_equals_appends_to_an_array() =>
        Parse.Equivalent("a = [1]\na += 2\nb += x", """{"a": [1, 2], "b": ["x"]}""");

    [Fact]
    public void Arrays_may_hold_objects_and_arrays() =>
        Parse.Equivalent("a = [{ x = 1 }, [2, 3], { y { z = 4 } }]", """{"a": [{"x": 1}, [2, 3], {"y": {"z": 4}}]}""");

    [Fact]
    public void A_root_array_is_allowed() => Parse.Equivalent("[1, 2]", "[1, 2]");

    [Fact]
    public void Include_is_an_ordinary_key_when_not_followed_by_a_file_name() =>
        Parse.Equivalent("include = 1\nincludes = 2", """{"include": 1, "includes": 2}""");

    [Fact]
    public void Carriage_returns_are_whitespace() => Parse.Equivalent("a = 1\r\nb = [1,\r\n2]\r\n", """{"a": 1, "b": [1, 2]}""");

    [Fact]
    public void A_byte_order_mark_at_the_start_is_ignored() => Parse.Equivalent("\uFEFFa = 1", """{"a": 1}""");

    [Fact]
    public void Large_integers_and_decimals_keep_their_value() =>
        Parse.Equivalent("a = 9223372036854775807\nb = 123456789012345678901234567\nc = 0.1",
            """{"a": 9223372036854775807, "b": 123456789012345678901234567, "c": 0.1}""");

    [Fact]
    public void Adjacent_objects_merge_without_substitutions() =>
        Parse.Equivalent("a = { x = 1, y = 1 } { y = 2 }", """{"a": {"x": 1, "y": 2}}""");

    [Fact]
    public void Substitutions_inside_quoted_strings_stay_literal() =>
        Parse.Equivalent("b = 1\na = \"${b}\"", """{"b": 1, "a": "${b}"}""");

    [Fact]
    public void A_later_array_replaces_an_earlier_one() => Parse.Equivalent("a = [1, 2]\na = [3]", """{"a": [3]}""");

    [Fact]
    public void Unicode_whitespace_separates_like_spaces() =>
        Parse.Equivalent("a\u00a0=\u2003hello\u00a0world\u00a0", """{"a": "hello\u00a0world"}""");

    [Fact]
    public void Keys_and_values_may_hold_non_ascii_text() => Parse.Equivalent("größe = grün", """{"größe": "grün"}""");

    [Fact]
    public void A_value_may_start_on_the_line_after_the_separator() => Parse.Equivalent("a =\n  1", """{"a": 1}""");

    [Fact]
    public void Unquoted_text_may_contain_single_slashes_but_not_comments() =>
        Parse.Equivalent("a = some/path // comment", """{"a": "some/path"}""");
}
