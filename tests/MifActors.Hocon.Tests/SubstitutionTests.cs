using MifActors.Hocon.Tests.Support;

namespace MifActors.Hocon.Tests;

/// <summary>Substitutions (HOCON.md, "Substitutions" and "Self-Referential Substitutions").</summary>
public sealed class SubstitutionTests
{
    [Fact]
    public void A_substitution_takes_the_value_at_its_path() =>
        Parse.Equivalent("a.b = 1\nc = ${a.b}\nd = ${a}", """{"a": {"b": 1}, "c": 1, "d": {"b": 1}}""");

    [Fact]
    public void A_substitution_sees_the_final_value_even_when_written_later() =>
        Parse.Equivalent("c = ${a}\na = 1\na = 2", """{"c": 2, "a": 2}""");

    [Fact]
    public void A_substitution_of_an_object_sees_fields_merged_later() =>
        Parse.Equivalent("a { x = 1 }\nb = ${a}\na { y = 2 }", """{"a": {"x": 1, "y": 2}, "b": {"x": 1, "y": 2}}""");

    [Fact]
    public void Substitutions_inside_strings_concatenate() =>
        Parse.Equivalent("name = world\ngreeting = \"hello \"${name}\"!\"", """{"name": "world", "greeting": "hello world!"}""");

    [Fact]
    public void Quoted_segments_work_in_substitutions() =>
        Parse.Equivalent("\"a.b\" { c = 1 }\nd = ${\"a.b\".c}", """{"a.b": {"c": 1}, "d": 1}""");

    [Fact]
    public void Self_reference_appends_to_the_earlier_value() =>
        Parse.Equivalent("path = \"/bin\"\npath = ${path}\":/usr/bin\"", """{"path": "/bin:/usr/bin"}""");

    [Fact]
    public void Self_references_chain_through_several_assignments() =>
        Parse.Equivalent("a = 1\na = ${a}2\na = ${a}3", """{"a": "123"}""");

    [Fact]
    public void Self_reference_to_an_array_extends_it() =>
        Parse.Equivalent("bar = [1]\nbar = ${bar} [2]\nbar = [0] ${bar}", """{"bar": [0, 1, 2]}""");

    [Fact]
    public void Self_reference_inside_a_nested_object_uses_the_full_path() =>
        Parse.Equivalent("foo { path = a }\nfoo { path = ${foo.path}\":b\" }", """{"foo": {"path": "a:b"}}""");

    [Fact]
    public void Self_reference_with_a_longer_path_looks_into_the_earlier_value() =>
        Parse.Equivalent("foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }", """{"foo": {"a": 2, "c": 1}}""");

    [Fact]
    public void A_substitution_that_resolves_to_an_object_merges_with_earlier_objects() =>
        Parse.Equivalent("x { b = 2 }\nfoo { a = 1 }\nfoo = ${x}", """{"x": {"b": 2}, "foo": {"a": 1, "b": 2}}""");

    [Fact]
    public void Optional_self_reference_with_no_earlier_value_removes_the_field() =>
        Parse.Equivalent("a = ${?a}\nb = 1", """{"b": 1}""");

    [Fact]
    public void Optional_substitution_that_is_undefined_removes_the_field() =>
        Parse.Equivalent("a = ${?nowhere.to.be.found}\nb = 1", """{"b": 1}""");

    [Fact]
    public void Undefined_optional_substitution_keeps_the_earlier_value() =>
        Parse.Equivalent("a = 1\na = ${?nowhere.to.be.found}", """{"a": 1}""");

    [Fact]
    public void Undefined_optional_substitution_in_a_concatenation_is_empty() =>
        Parse.Equivalent("a = x${?nowhere.to.be.found}y\nb = ${?nowhere.to.be.found}42", """{"a": "xy", "b": 42}""");

    [Fact]
    public void Undefined_optional_substitution_in_an_array_is_dropped() =>
        Parse.Equivalent("a = [1, ${?nowhere.to.be.found}, 2]", """{"a": [1, 2]}""");

    [Fact]
    public void An_unresolved_substitution_falls_back_to_the_environment()
    {
        var name = "MIFACTORS_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Parse.Equivalent($"a = ${{{name}}}\nb = ${{?{name}}}", """{"a": "from-env", "b": "from-env"}""");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void The_configuration_wins_over_the_environment()
    {
        var name = "MIFACTORS_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Parse.Equivalent($"{name} = from-config\na = ${{{name}}}", $$"""{"{{name}}": "from-config", "a": "from-config"}""");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Optional_environment_override_replaces_a_default_only_when_set()
    {
        var name = "MIFACTORS_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        var text = $"port = 5436\nport = ${{?{name}}}";
        Parse.Equivalent(text, """{"port": 5436}""");
        Environment.SetEnvironmentVariable(name, "6000");
        try
        {
            Parse.Equivalent(text, """{"port": "6000"}""");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Substitutions_resolve_through_other_substitutions() =>
        Parse.Equivalent("a = ${b}\nb = ${c}\nc = { d = 1 }\ne = ${a.d}", """{"a": {"d": 1}, "b": {"d": 1}, "c": {"d": 1}, "e": 1}""");

    [Fact]
    public void Plus_equals_inside_an_object_appends_at_the_full_path() =>
        Parse.Equivalent("x { list = [a] }\nx { list += b }", """{"x": {"list": ["a", "b"]}}""");

    [Fact]
    public void A_substitution_of_a_value_inside_the_same_object_is_not_a_cycle() =>
        Parse.Equivalent("a { b = ${a.c}, c = 1 }", """{"a": {"b": 1, "c": 1}}""");
}
