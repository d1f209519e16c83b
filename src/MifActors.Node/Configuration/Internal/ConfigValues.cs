using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace MifActors.Node.Configuration.Internal;

/// <summary>
/// Typed reads of the node's keys. Akka's getters answer a wrong type with an empty value
/// (<c>GetStringList</c> on <c>roles = host-agent</c> is an empty list), so each read checks the
/// value's shape first and names the key when it is wrong.
/// </summary>
internal static class ConfigValues
{
    public static string String(Config config, string path)
    {
        var value = config.GetValue(path);
        if (value is null || value.IsEmpty)
            throw new NodeConfigurationException($"{path}: missing; expected a string");
        if (!value.IsString())
            throw new NodeConfigurationException($"{path}: expected a string, got {Describe(value)}");
        return value.GetString() ?? "";
    }

    public static IReadOnlyList<string> StringList(Config config, string path)
    {
        var value = config.GetValue(path);
        if (value is null || value.IsEmpty)
            throw new NodeConfigurationException($"{path}: missing; expected a list of strings like [a, b]");
        if (IsEmptyArray(value))
            return [];
        if (!value.IsArray())
            throw new NodeConfigurationException($"{path}: expected a list of strings like [a, b], got {Describe(value)}");
        var items = value.GetArray();
        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (!items[i].IsString())
                throw new NodeConfigurationException($"{path}[{i}]: expected a string, got {Describe(items[i])}");
            result.Add(items[i].GetString());
        }
        return result;
    }

    /// <summary>How a value looks, for an error message.</summary>
    public static string Describe(HoconValue value)
    {
        if (value.IsObject())
            return "an object";
        if (value.IsArray() || IsEmptyArray(value))
            return "a list";
        return $"\"{value.GetString()}\"";
    }

    // HoconValue.IsArray() is false for [] because it counts the elements.
    private static bool IsEmptyArray(HoconValue value) =>
        value.Values.Count > 0 && value.Values.All(v => v is HoconArray { Count: 0 });
}
