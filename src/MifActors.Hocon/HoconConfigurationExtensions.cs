using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace MifActors.Hocon;

public static class HoconConfigurationExtensions
{
    /// <summary>
    /// Adds a HOCON file. Arrays become <c>key:0</c>, <c>key:1</c>, ...; durations and sizes stay text
    /// (<c>5s</c>) and are read with <see cref="GetDuration"/>, <see cref="GetSize"/> or options binding
    /// (adding a HOCON source registers the converters that let <c>Bind</c>/<c>Get&lt;T&gt;</c> read them).
    /// </summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional = false,
        bool reloadOnChange = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        HoconTypeConverters.Register();
        IFileProvider? provider = null;
        var display = path;
        if (Path.IsPathRooted(path))
        {
            provider = new PhysicalFileProvider(Path.GetDirectoryName(path)!);
            path = Path.GetFileName(path);
        }

        return builder.Add<HoconConfigurationSource>(s =>
        {
            s.FileProvider = provider;
            s.Path = path;
            s.DisplayName = display;
            s.Optional = optional;
            s.ReloadOnChange = reloadOnChange;
            s.ResolveFileProvider();
        });
    }

    /// <summary>Adds HOCON text; relative includes are read from the current directory.</summary>
    public static IConfigurationBuilder AddHoconString(this IConfigurationBuilder builder, string text)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        HoconTypeConverters.Register();
        return builder.Add(new HoconStringConfigurationSource(text, "(string)"));
    }

    /// <summary>
    /// Adds the project's defaults (<see cref="Hocon.ReferenceConf"/>). Call it first: later sources
    /// (role files, environment variables) override it.
    /// </summary>
    public static IConfigurationBuilder AddMifActorsReference(this IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        HoconTypeConverters.Register();
        return builder.Add(new HoconStringConfigurationSource(Hocon.ReferenceConf, "reference.conf (embedded)"));
    }

    /// <summary>Reads a HOCON duration (<c>5s</c>, <c>100ms</c>); null when the key is missing.</summary>
    /// <exception cref="FormatException">The value is not a duration; the message names the key.</exception>
    public static TimeSpan? GetDuration(this IConfiguration configuration, string key) =>
        Read(configuration, key, HoconUnits.ParseDuration);

    /// <summary>Reads a HOCON size in bytes (<c>64 kB</c>, <c>1 MiB</c>); null when the key is missing.</summary>
    /// <exception cref="FormatException">The value is not a size; the message names the key.</exception>
    public static long? GetSize(this IConfiguration configuration, string key) =>
        Read(configuration, key, HoconUnits.ParseSize);

    private static T? Read<T>(IConfiguration configuration, string key, Func<string, T> parse) where T : struct
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[key];
        if (text is null) return null;
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"configuration key '{Describe(configuration, key)}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Binds a section to a new <typeparamref name="T"/> like <c>Get&lt;T&gt;</c>, with HOCON durations
    /// accepted for TimeSpan properties and sizes for long/int ones.
    /// </summary>
    public static T GetHocon<T>(this IConfiguration configuration) where T : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        HoconTypeConverters.Register();
        var options = new T();
        configuration.Bind(options);
        return options;
    }

    private static string Describe(IConfiguration configuration, string key) =>
        configuration is IConfigurationSection section ? ConfigurationPath.Combine(section.Path, key) : key;
}
