using System.Globalization;
using System.Net;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace MifActors.Mif.Internal;

/// <summary>
/// Reads typed values from one HOCON section and turns every failure into a <see cref="MifConfigurationException"/>
/// that names the full key, as a user would look for it in the file.
/// </summary>
internal sealed class ConfigReader(Config config, string prefix)
{
    public string Key(string path) => $"{prefix}.{path}";

    public ConfigReader Section(string path) =>
        new(config.HasPath(path) ? config.GetConfig(path) : ConfigurationFactory.Empty, Key(path));

    public bool Has(string path) => config.HasPath(path);

    public string String(string path)
    {
        var value = Raw(path);
        if (!value.IsString())
        {
            throw Fail(path, "expected a string", value);
        }
        return value.GetString();
    }

    public TimeSpan Duration(string path, bool allowZero = false)
    {
        var value = Raw(path);
        TimeSpan result;
        try
        {
            result = value.GetTimeSpan(allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or ConfigurationException)
        {
            throw Fail(path, "expected a duration (500ms, 2s, 1m)", value);
        }
        if (result < TimeSpan.Zero || (!allowZero && result == TimeSpan.Zero))
        {
            throw Fail(path, allowZero ? "expected a duration of zero or more" : "expected a duration above zero", value);
        }
        return result;
    }

    public int Int(string path, int min, int max)
    {
        var value = Raw(path);
        if (!int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) || result < min || result > max)
        {
            throw Fail(path, $"expected a whole number from {min} to {max}", value);
        }
        return result;
    }

    public bool Bool(string path)
    {
        var value = Raw(path);
        return value.GetString().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw Fail(path, "expected on or off", value),
        };
    }

    public IPAddress Address(string path)
    {
        var value = Raw(path);
        if (!IPAddress.TryParse(value.GetString(), out var address))
        {
            throw Fail(path, "expected an IP address", value);
        }
        return address;
    }

    public IReadOnlyList<string> Strings(string path)
    {
        var value = Raw(path);
        if (!IsArray(value))
        {
            throw Fail(path, "expected a list of strings [\"a\", \"b\"]", value);
        }
        return value.GetArray().Select((item, i) => item.IsString() ? item.GetString() : throw Fail($"{path}[{i}]", "expected a string", item)).ToArray();
    }

    public IReadOnlyList<IPAddress> Addresses(string path) =>
        Strings(path).Select((text, i) => IPAddress.TryParse(text, out var a) ? a : throw new MifConfigurationException(
            $"{Key(path)}[{i}]: expected an IP address, got \"{text}\"")).ToArray();

    /// <summary>The objects of a list of objects, each as a reader named <c>path[i]</c>.</summary>
    public IReadOnlyList<ConfigReader> Objects(string path)
    {
        var value = Raw(path);
        if (!IsArray(value))
        {
            throw Fail(path, "expected a list of objects [{ ... }]", value);
        }
        return value.GetArray().Select((item, i) => item.IsObject()
            ? new ConfigReader(new Config(new HoconRoot(item)), $"{Key(path)}[{i}]")
            : throw Fail($"{path}[{i}]", "expected an object { ... }", item)).ToArray();
    }

    /// <summary>The keys of an object, each with a reader of its value.</summary>
    public IReadOnlyList<(string Name, ConfigReader Reader)> Entries(string path)
    {
        var value = Raw(path);
        if (!value.Values.Any(e => e is HoconObject))
        {
            throw Fail(path, "expected an object { ... }", value);
        }
        return value.GetObject().Items.Select(item => item.Value.IsObject()
            ? (item.Key, new ConfigReader(new Config(new HoconRoot(item.Value)), $"{Key(path)}.{item.Key}"))
            : throw Fail($"{path}.{item.Key}", "expected an object { ... }", item.Value)).ToArray();
    }

    // Akka's HoconValue.IsArray is false for an empty list, which is a list all the same.
    private static bool IsArray(HoconValue value) => value.Values.Any(e => e is HoconArray);

    private HoconValue Raw(string path)
    {
        HoconValue? value = null;
        try
        {
            value = config.HasPath(path) ? config.GetValue(path) : null;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException)
        {
            throw new MifConfigurationException($"{Key(path)}: {e.Message}");
        }
        if (value is null || value.Values.Count == 0)
        {
            throw new MifConfigurationException($"{Key(path)}: missing; hocon/mif.conf has the default, is it in the fallback chain?");
        }
        return value;
    }

    private MifConfigurationException Fail(string path, string expected, HoconValue value)
    {
        string shown;
        try
        {
            shown = value.IsString() ? $"\"{value.GetString()}\"" : value.ToString();
        }
        catch (Exception e) when (e is ConfigurationException or InvalidOperationException)
        {
            shown = "a value of another kind";
        }
        return new MifConfigurationException($"{Key(path)}: {expected}, got {shown}");
    }
}
