namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// Builds Mobility Headers byte by byte for malformed-input tests: a header, six bytes of fixed fields and raw
/// option bytes. Header Len is set from the length unless a test overrides it.
/// </summary>
internal static class MobilityHeaderBuilder
{
    public static byte[] Build(byte mhType, ReadOnlySpan<byte> fixedFields, ReadOnlySpan<byte> options, int? headerLength = null)
    {
        var packet = new byte[12 + options.Length];
        packet[0] = 59;
        packet[2] = mhType;
        fixedFields.CopyTo(packet.AsSpan(6, 6));
        options.CopyTo(packet.AsSpan(12));
        packet[1] = (byte)(headerLength ?? packet.Length / 8 - 1);
        return packet;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
