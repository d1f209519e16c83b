namespace MifActors.Hocon.Tests;

/// <summary>Durations and sizes (HOCON.md, "Duration format" and "Size in bytes format").</summary>
public sealed class UnitsTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500 ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1 d", 86_400_000)]
    [InlineData("1.5 seconds", 1_500)]
    [InlineData("250", 250)]
    [InlineData("100millis", 100)]
    [InlineData("3 minutes", 180_000)]
    [InlineData("00:00:05", 5_000)]
    public void Durations_are_a_number_and_a_unit(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), HoconUnits.ParseDuration(text));

    [Fact]
    public void Sub_millisecond_durations_keep_their_precision()
    {
        Assert.Equal(TimeSpan.FromMicroseconds(5), HoconUnits.ParseDuration("5us"));
        Assert.Equal(TimeSpan.FromTicks(1), HoconUnits.ParseDuration("100ns"));
    }

    [Theory]
    [InlineData("1 MiB", 1_048_576)]
    [InlineData("1MB", 1_000_000)]
    [InlineData("64 kB", 64_000)]
    [InlineData("64K", 65_536)]
    [InlineData("512", 512)]
    [InlineData("2 GiB", 2_147_483_648)]
    [InlineData("1.5 KiB", 1_536)]
    [InlineData("10 bytes", 10)]
    [InlineData("1 EiB", 1_152_921_504_606_846_976)]
    public void Sizes_are_a_number_and_a_unit(string text, long bytes) => Assert.Equal(bytes, HoconUnits.ParseSize(text));

    [Theory]
    [InlineData("10 parsecs")]
    [InlineData("s")]
    [InlineData("")]
    [InlineData("ten seconds")]
    public void A_bad_duration_names_the_accepted_units(string text)
    {
        var e = Assert.Throws<FormatException>(() => HoconUnits.ParseDuration(text));
        Assert.Contains("units: ns, us, ms, s, m, h, d", e.Message);
    }

    [Theory]
    [InlineData("1 ZiB")]
    [InlineData("16 EiB")]
    [InlineData("lots")]
    public void A_bad_or_too_large_size_is_refused(string text) =>
        Assert.Throws<FormatException>(() => HoconUnits.ParseSize(text));
}
