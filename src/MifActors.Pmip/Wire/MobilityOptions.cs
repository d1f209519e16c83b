using System.Collections;
using System.Net;
using System.Text;

namespace MifActors.Pmip.Wire;

/// <summary>Mobility option type numbers IANA assigned (RFC 6275, 4283, 4285, 5213, 5844).</summary>
public static class MobilityOptionType
{
    public const byte Pad1 = 0;
    public const byte PadN = 1;
    public const byte MobileNodeIdentifier = 8;
    public const byte Authentication = 9;
    public const byte HomeNetworkPrefix = 22;
    public const byte HandoffIndicator = 23;
    public const byte AccessTechnologyType = 24;
    public const byte Timestamp = 27;
    public const byte IPv4HomeAddressRequest = 36;
    public const byte IPv4HomeAddressReply = 37;
    public const byte IPv4DefaultRouterAddress = 38;
    public const byte IPv4DhcpSupportMode = 39;
}

/// <summary>MN Identifier option subtypes: NAI from RFC 4283, the rest from RFC 8371 §3.</summary>
public enum MobileNodeIdentifierSubtype : byte
{
    Nai = 1,
    IPv6Address = 2,
    Imsi = 3,
    PTmsi = 4,
    Eui48 = 5,
    Eui64 = 6,
    Guti = 7,
}

/// <summary>Handoff Indicator values (RFC 5213 §8.4).</summary>
public enum HandoffIndicator : byte
{
    Reserved = 0,
    AttachmentOverNewInterface = 1,
    HandoffBetweenInterfaces = 2,
    HandoffBetweenMags = 3,
    HandoffStateUnknown = 4,
    HandoffStateNotChanged = 5,
}

/// <summary>Access Technology Type values (RFC 5213 §8.5).</summary>
public enum AccessTechnologyType : byte
{
    Reserved = 0,
    Virtual = 1,
    Ppp = 2,
    Ieee8023 = 3,
    Ieee80211 = 4,
    Ieee80216e = 5,
    Geran = 6,
    Utran = 7,
    EUtran = 8,
    EHrpd = 9,
    Hrpd = 10,
    OneXRtt = 11,
    Umb = 12,
}

/// <summary>
/// Mobile Node Identifier option (RFC 4283 §3, subtypes RFC 8371 §3): a subtype and the identifier's octets.
/// </summary>
public sealed record MobileNodeIdentifier(MobileNodeIdentifierSubtype Subtype, ReadOnlyMemory<byte> Identifier)
{
    /// <summary>An NAI (RFC 4282 form, e.g. <c>mn1@example.net</c>), the subtype RFC 5213 uses.</summary>
    public static MobileNodeIdentifier Nai(string nai) =>
        new(MobileNodeIdentifierSubtype.Nai, Encoding.UTF8.GetBytes(nai));

    /// <summary>The identifier as text: the NAI itself, or the octets in hex for other subtypes.</summary>
    public string Text => Subtype == MobileNodeIdentifierSubtype.Nai
        ? Encoding.UTF8.GetString(Identifier.Span)
        : Convert.ToHexString(Identifier.Span);

    public bool Equals(MobileNodeIdentifier? other) =>
        other is not null && Subtype == other.Subtype && Identifier.Span.SequenceEqual(other.Identifier.Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Subtype);
        hash.AddBytes(Identifier.Span);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Subtype}:{Text}";
}

/// <summary>Home Network Prefix option (RFC 5213 §8.3): prefix length and an IPv6 prefix.</summary>
public readonly record struct HomeNetworkPrefix(IPAddress Prefix, byte PrefixLength)
{
    public override string ToString() => $"{Prefix}/{PrefixLength}";
}

/// <summary>
/// Timestamp option value (RFC 5213 §8.8): 48 bits of seconds since 1970-01-01 UTC and 16 bits of 1/65536 seconds.
/// </summary>
public readonly record struct MobilityTimestamp(ulong Value)
{
    public static MobilityTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond * 65536 / TimeSpan.TicksPerSecond);
        return new((seconds << 16) | fraction);
    }

    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(Value >> 16) * TimeSpan.TicksPerSecond
            + (long)(Value & 0xFFFF) * TimeSpan.TicksPerSecond / 65536);
}

/// <summary>IPv4 Home Address Request option (RFC 5844 §3.1.1): prefix length and the requested address (0.0.0.0 for "assign one").</summary>
public readonly record struct IPv4HomeAddressRequest(byte PrefixLength, IPAddress HomeAddress);

/// <summary>
/// IPv4 Home Address Reply option (RFC 5844 §3.1.2): status (0 success, 128 and up a failure), prefix length and
/// the assigned address.
/// </summary>
public readonly record struct IPv4HomeAddressReply(byte Status, byte PrefixLength, IPAddress HomeAddress);

/// <summary>
/// Mobility message authentication option (RFC 4285 §5): subtype, Mobility SPI and the authenticator. Ours is
/// HMAC-SHA256 (32 octets) over the Mobility Header up to the authenticator, see <see cref="MobilityMessageAuthentication"/>.
/// </summary>
public sealed record MobilityAuthentication(uint SecurityParameterIndex, ReadOnlyMemory<byte> Authenticator)
{
    public const int AuthenticatorLength = 32;

    /// <summary>A placeholder to encode: the authenticator is zeros until the message is signed.</summary>
    public static MobilityAuthentication Unsigned(uint spi) => new(spi, ReadOnlyMemory<byte>.Empty);

    public bool Equals(MobilityAuthentication? other) =>
        other is not null && SecurityParameterIndex == other.SecurityParameterIndex
        && Authenticator.Span.SequenceEqual(other.Authenticator.Span);

    public override int GetHashCode() => SecurityParameterIndex.GetHashCode();
}

/// <summary>An immutable list that compares by its items, so records holding one compare by value.</summary>
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public static ValueList<T> Empty { get; } = new([]);

    public ValueList(IEnumerable<T> items) => _items = items.ToArray();

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public static implicit operator ValueList<T>(T[] items) => new(items);

    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => $"[{string.Join(", ", _items)}]";
}
