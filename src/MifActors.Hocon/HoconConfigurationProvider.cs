using MifActors.Hocon.Internal;
using Microsoft.Extensions.Configuration;

namespace MifActors.Hocon;

/// <summary>A HOCON file as a configuration source (see <see cref="HoconConfigurationExtensions.AddHoconFile"/>).</summary>
public sealed class HoconConfigurationSource : FileConfigurationSource
{
    /// <summary>The file as errors name it: the path the caller gave (<c>hocon/lma.conf</c>); defaults to the full path.</summary>
    public string? DisplayName { get; set; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new HoconConfigurationProvider(this);
    }
}

/// <summary>
/// Loads a HOCON file: keys become <c>a:b:c</c>, array elements <c>a:0</c>, <c>a:1</c>. Includes are
/// read relative to the file. With reloadOnChange only the file itself is watched, not its includes.
/// </summary>
public sealed class HoconConfigurationProvider(HoconConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var physical = Source.FileProvider?.GetFileInfo(Source.Path ?? string.Empty)?.PhysicalPath;
        var display = (Source as HoconConfigurationSource)?.DisplayName ?? physical ?? Source.Path ?? "(stream)";
        var directory = physical is null ? null : Path.GetDirectoryName(physical);
        var root = Hocon.ParseText(text, display, directory);
        Data = Output.Flatten(root);
    }
}

/// <summary>HOCON text held in memory as a configuration source.</summary>
public sealed class HoconStringConfigurationSource(string text, string displayName) : IConfigurationSource
{
    public string Text { get; } = text;

    /// <summary>The name errors show for the text, e.g. <c>reference.conf (embedded)</c>.</summary>
    public string DisplayName { get; } = displayName;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconStringConfigurationProvider(this);
}

public sealed class HoconStringConfigurationProvider(HoconStringConfigurationSource source) : ConfigurationProvider
{
    public override void Load() => Data = Output.Flatten(Hocon.ParseText(source.Text, source.DisplayName, null));
}
