using Microsoft.Extensions.Configuration;

namespace MifActors.Hocon.Tests;

/// <summary>HOCON through Microsoft.Extensions.Configuration: keys, arrays, layering, binding.</summary>
public sealed class ConfigurationProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hocon-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Timing
    {
        [ConfigurationKeyName("ask-timeout")]
        public TimeSpan AskTimeout { get; set; }

        public int Throughput { get; set; }

        [ConfigurationKeyName("buffer-size")]
        public long BufferSize { get; set; }

        [ConfigurationKeyName("small-buffer")]
        public int SmallBuffer { get; set; }

        [ConfigurationKeyName("time-factor")]
        public double TimeFactor { get; set; }

        public List<string> Roles { get; set; } = [];
    }

    [Fact]
    public void Keys_become_colon_paths_and_arrays_become_indexed_keys()
    {
        var config = new ConfigurationBuilder().AddHoconString("a.b = 1\nlist = [x, y]\nobj { n = null, e = {} }").Build();
        Assert.Equal("1", config["a:b"]);
        Assert.Equal("x", config["list:0"]);
        Assert.Equal("y", config["list:1"]);
        Assert.Null(config["obj:n"]);
        Assert.Null(config["obj:e"]);
    }

    [Fact]
    public void Values_keep_the_text_as_written()
    {
        var config = new ConfigurationBuilder().AddHoconString("f = 1.0\nd = 5s\nb = true\ns = \"quoted\"").Build();
        Assert.Equal("1.0", config["f"]);
        Assert.Equal("5s", config["d"]);
        Assert.Equal("true", config["b"]);
        Assert.Equal("quoted", config["s"]);
    }

    [Fact]
    public void Keys_are_case_insensitive_like_every_configuration_source()
    {
        var config = new ConfigurationBuilder().AddHoconString("Mifactors.Actor.Throughput = 7").Build();
        Assert.Equal("7", config["mifactors:actor:throughput"]);
    }

    [Fact]
    public void A_hocon_file_is_read_with_its_includes()
    {
        File.WriteAllText(Path.Combine(_dir, "base.conf"), "a = 1\nb = 2");
        File.WriteAllText(Path.Combine(_dir, "node.conf"), "include \"base.conf\"\nb = 3");
        var config = new ConfigurationBuilder().AddHoconFile(Path.Combine(_dir, "node.conf")).Build();
        Assert.Equal("1", config["a"]);
        Assert.Equal("3", config["b"]);
    }

    [Fact]
    public void A_relative_path_is_read_from_the_builder_base_path()
    {
        File.WriteAllText(Path.Combine(_dir, "rel.conf"), "k = v");
        var config = new ConfigurationBuilder().SetBasePath(_dir).AddHoconFile("rel.conf").Build();
        Assert.Equal("v", config["k"]);
    }

    [Fact]
    public void An_optional_missing_file_adds_nothing()
    {
        var config = new ConfigurationBuilder().AddHoconFile(Path.Combine(_dir, "absent.conf"), optional: true).Build();
        Assert.Empty(config.AsEnumerable());
    }

    [Fact]
    public void A_required_missing_file_fails() =>
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHoconFile(Path.Combine(_dir, "absent.conf")).Build());

    [Fact]
    public void A_broken_file_fails_with_its_location()
    {
        var path = Path.Combine(_dir, "broken.conf");
        File.WriteAllText(path, "a {\n  b = \"x\n}");
        var e = Assert.ThrowsAny<Exception>(() => new ConfigurationBuilder().AddHoconFile(path).Build());
        var hocon = e as HoconException ?? e.InnerException as HoconException;
        Assert.NotNull(hocon);
        Assert.Equal((2, 7), (hocon.Line, hocon.Column));
    }

    [Fact]
    public void Errors_name_the_file_as_the_caller_gave_it()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "hocon"));
        File.WriteAllText(Path.Combine(_dir, "hocon", "lma.conf"), "mifactors {\n  lifetime\n}");
        var e = Assert.ThrowsAny<Exception>(() => new ConfigurationBuilder().SetBasePath(_dir).AddHoconFile("hocon/lma.conf").Build());
        var hocon = e as HoconException ?? e.InnerException as HoconException;
        Assert.NotNull(hocon);
        Assert.Equal("hocon/lma.conf:2:3: expected '=' or ':' after key \"lifetime\"", hocon.Message);
    }

    [Fact]
    public void Reference_conf_is_the_lowest_layer_and_later_sources_override_it()
    {
        var config = new ConfigurationBuilder()
            .AddMifActorsReference()
            .AddHoconString("mifactors.actor.throughput = 100")
            .Build();
        Assert.Equal("100", config["mifactors:actor:throughput"]);
        Assert.Equal("5s", config["mifactors:actor:ask-timeout"]);
    }

    [Fact]
    public void Environment_variables_with_double_underscores_override_hocon_keys()
    {
        var name = "MIFACTORS_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "_";
        Environment.SetEnvironmentVariable(name + "mifactors__actor__throughput", "64");
        try
        {
            var config = new ConfigurationBuilder()
                .AddMifActorsReference()
                .AddEnvironmentVariables(name)
                .Build();
            Assert.Equal("64", config["mifactors:actor:throughput"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name + "mifactors__actor__throughput", null);
        }
    }

    [Fact]
    public void GetDuration_and_GetSize_read_hocon_units()
    {
        var config = new ConfigurationBuilder().AddHoconString("t = 500 ms\ns = 1 MiB\nbad = soon").Build();
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.GetDuration("t"));
        Assert.Equal(1_048_576, config.GetSize("s"));
        Assert.Null(config.GetDuration("missing"));
        var e = Assert.Throws<FormatException>(() => config.GetSection("x").GetDuration("nope") ?? config.GetDuration("bad"));
        Assert.Contains("configuration key 'bad': 'soon' is not a duration", e.Message);
    }

    [Fact]
    public void Ordinary_binding_reads_durations_and_sizes()
    {
        var config = new ConfigurationBuilder().AddHoconString("""
            ask-timeout = 2s
            throughput = 30
            buffer-size = 4 MiB
            small-buffer = 64 KiB
            time-factor = 1.5
            roles = [host, lma]
            """).Build();
        var bound = new Timing();
        config.Bind(bound);
        Assert.Equal(TimeSpan.FromSeconds(2), bound.AskTimeout);
        Assert.Equal(30, bound.Throughput);
        Assert.Equal(4 * 1_048_576, bound.BufferSize);
        Assert.Equal(65_536, bound.SmallBuffer);
        Assert.Equal(1.5, bound.TimeFactor);
        Assert.Equal(["host", "lma"], bound.Roles);
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetHocon<Timing>().AskTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Get<Timing>()!.AskTimeout);
    }

    [Fact]
    public void Integers_bind_as_before_the_size_converter_was_registered()
    {
        var config = new ConfigurationBuilder().AddHoconString("throughput = \"0x10\"\nbuffer-size = -5").Build();
        var bound = config.GetHocon<Timing>();
        Assert.Equal(16, bound.Throughput);
        Assert.Equal(-5, bound.BufferSize);
    }

    [Fact]
    public void A_value_that_is_neither_a_number_nor_a_size_fails_binding()
    {
        var config = new ConfigurationBuilder().AddHoconString("throughput = lots").Build();
        Assert.Throws<InvalidOperationException>(() => config.GetHocon<Timing>());
    }

    [Fact]
    public void Reloading_picks_up_a_changed_file()
    {
        var path = Path.Combine(_dir, "reload.conf");
        File.WriteAllText(path, "a = 1");
        var root = new ConfigurationBuilder().AddHoconFile(path).Build();
        Assert.Equal("1", root["a"]);
        File.WriteAllText(path, "a = 2");
        root.Reload();
        Assert.Equal("2", root["a"]);
    }
}
