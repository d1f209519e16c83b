using System.ComponentModel;
using System.Globalization;

namespace MifActors.Hocon;

/// <summary>
/// Makes ordinary options binding (<c>ConfigurationBinder.Bind</c>, <c>Get&lt;T&gt;</c>,
/// <c>services.Configure&lt;T&gt;(section)</c>) read HOCON units: TimeSpan properties accept
/// durations (<c>5s</c>, <c>100ms</c>), long and int properties accept sizes (<c>1 MiB</c>).
/// The binder finds converters through <see cref="TypeDescriptor"/>, so registration is
/// process-wide; adding any HOCON configuration source registers them.
/// </summary>
/// <remarks>
/// A bare number bound to a TimeSpan means milliseconds (HOCON's rule), not days as
/// <c>TimeSpan.Parse</c> would read it; <c>hh:mm:ss</c> text still parses as before.
/// Integers (decimal or 0x hex) bind to long/int exactly as without the converter; only text
/// the standard converter rejects is tried as a size.
/// </remarks>
public static class HoconTypeConverters
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        TypeDescriptor.AddAttributes(typeof(long), new TypeConverterAttribute(typeof(SizeInt64Converter)));
        TypeDescriptor.AddAttributes(typeof(int), new TypeConverterAttribute(typeof(SizeInt32Converter)));
    }

    /// <summary>TimeSpan from a HOCON duration.</summary>
    public sealed class DurationConverter : TimeSpanConverter
    {
        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string s ? HoconUnits.ParseDuration(s) : base.ConvertFrom(context, culture, value);
    }

    /// <summary>long as before (decimal, hex), else from a HOCON size.</summary>
    public sealed class SizeInt64Converter : Int64Converter
    {
        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
        {
            try
            {
                return base.ConvertFrom(context, culture, value);
            }
            catch (Exception) when (value is string s && HoconUnits.TryParseSize(s, out var size))
            {
                return size;
            }
        }
    }

    /// <summary>int as before (decimal, hex), else from a HOCON size that fits.</summary>
    public sealed class SizeInt32Converter : Int32Converter
    {
        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
        {
            try
            {
                return base.ConvertFrom(context, culture, value);
            }
            catch (Exception) when (value is string s && HoconUnits.TryParseSize(s, out var size))
            {
                return size is >= int.MinValue and <= int.MaxValue
                    ? (int)size
                    : throw new FormatException($"'{s}' is {size} bytes, more than an int property holds; use a long property");
            }
        }
    }
}
