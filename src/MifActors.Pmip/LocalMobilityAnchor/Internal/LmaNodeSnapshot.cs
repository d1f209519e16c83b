using System.Buffers.Binary;
using System.Net;
using System.Text;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.LocalMobilityAnchor.Internal;

/// <summary>
/// The binary form of an LMA's recovered state: per MN what <see cref="LmaMobileNodeRecovery"/> folds its events into
/// (BCEs, FFEs by flow key, FHRQs in flight), MNs in ordinal persistence id order. Binary and flat because recovery
/// reads a million of them: no JSON, each MAG written once and named by its index. Little-endian throughout:
/// <code>
/// "LMAS" version:u8 mags:u16 (length:u8 address)* mns:i32
///   (id-length:u16 id:utf8 bces:u8 bce* ffes:u16 ffe* pending:u16 seq:u16*)*
///   "SAML"
/// bce = mag:u16 flags:u8 [prefix:16 length:u8] [ipv4:4] att:u8 lifetime-ticks:i64 expires-utc-ticks:i64
/// ffe = source dest (value:16 length:u8 ipv4:u8) source-port:u16 dest-port:u16 mag:u16 expires-utc-ticks:i64
/// </code>
/// A snapshot that does not parse to its trailer is rejected whole: recovery then takes an older one, or the journal.
/// </summary>
internal static class LmaNodeSnapshot
{
    private const uint Magic = 0x53414D4C; // "LMAS" read little-endian
    private const uint Trailer = 0x4C4D4153; // "SAML"
    private const byte Version = 1;
    private const byte HasPrefix = 1;
    private const byte HasIPv4 = 2;

    /// <summary>Collects MNs, in the order <see cref="LmaMobileNodeRecovery"/> flushes them, into one snapshot.</summary>
    public sealed class Writer
    {
        private readonly MemoryStream body = new();
        private readonly Dictionary<MagAddress, ushort> mags = [];
        private readonly List<MagAddress> magOrder = [];
        private int count;

        public void Add(string persistenceId, IEnumerable<BindingCacheEntry> bindings,
            IReadOnlyDictionary<FlowKey, (MagAddress Mag, DateTimeOffset ExpiresAt)> forwarding, IReadOnlyCollection<ushort> pending)
        {
            Span<byte> buffer = stackalloc byte[64];
            var id = Encoding.UTF8.GetBytes(persistenceId);
            WriteUInt16((ushort)id.Length);
            body.Write(id);
            var entries = bindings.ToArray();
            body.WriteByte(checked((byte)entries.Length));
            foreach (var bce in entries)
            {
                WriteUInt16(MagIndex(bce.Mag));
                body.WriteByte((byte)((bce.Prefix is null ? 0 : HasPrefix) | (bce.IPv4HomeAddress is null ? 0 : HasIPv4)));
                if (bce.Prefix is { } hnp)
                {
                    hnp.Prefix.TryWriteBytes(buffer[..16], out _);
                    body.Write(buffer[..16]);
                    body.WriteByte(hnp.PrefixLength);
                }

                if (bce.IPv4HomeAddress is { } hoa)
                {
                    hoa.TryWriteBytes(buffer[..4], out _);
                    body.Write(buffer[..4]);
                }

                body.WriteByte((byte)bce.AccessTechnology);
                WriteInt64(bce.Lifetime.Ticks);
                WriteInt64(bce.ExpiresAt.UtcTicks);
            }

            WriteUInt16(checked((ushort)forwarding.Count));
            foreach (var (key, (mag, expiresAt)) in forwarding)
            {
                WriteFlowAddress(key.Source);
                WriteFlowAddress(key.Destination);
                WriteUInt16(key.SourcePort);
                WriteUInt16(key.DestinationPort);
                WriteUInt16(MagIndex(mag));
                WriteInt64(expiresAt.UtcTicks);
            }

            WriteUInt16(checked((ushort)pending.Count));
            foreach (var sequence in pending) WriteUInt16(sequence);
            count++;
        }

        public byte[] ToArray()
        {
            var head = new MemoryStream();
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(word, Magic);
            head.Write(word);
            head.WriteByte(Version);
            BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)magOrder.Count);
            head.Write(word[..2]);
            foreach (var mag in magOrder)
            {
                var address = mag.Address.GetAddressBytes();
                head.WriteByte((byte)address.Length);
                head.Write(address);
            }

            BinaryPrimitives.WriteInt32LittleEndian(word, count);
            head.Write(word);
            body.Position = 0;
            body.CopyTo(head);
            BinaryPrimitives.WriteUInt32LittleEndian(word, Trailer);
            head.Write(word);
            return head.ToArray();
        }

        private ushort MagIndex(MagAddress mag)
        {
            if (mags.TryGetValue(mag, out var index)) return index;
            index = checked((ushort)magOrder.Count);
            mags[mag] = index;
            magOrder.Add(mag);
            return index;
        }

        private void WriteFlowAddress(FlowAddress address)
        {
            Span<byte> bytes = stackalloc byte[18];
            BinaryPrimitives.WriteUInt128LittleEndian(bytes, address.Value);
            bytes[16] = address.PrefixLength;
            bytes[17] = address.IsIPv4 ? (byte)1 : (byte)0;
            body.Write(bytes);
        }

        private void WriteUInt16(ushort value)
        {
            Span<byte> bytes = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            body.Write(bytes);
        }

        private void WriteInt64(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            body.Write(bytes);
        }
    }

    /// <summary>Whether the whole snapshot parses; if not, <paramref name="damage"/> says where it stops making sense.</summary>
    public static bool TryCheck(byte[] snapshot, out string damage)
    {
        try
        {
            Parse(snapshot, null, null);
            damage = "";
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // A MAG index past the table, an address of odd length, ticks out of range: damage all the same.
            damage = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Seeds <paramref name="recovery"/> with each MN of a snapshot that passed <see cref="TryCheck"/> (so a damaged one
    /// changes nothing) and calls <paramref name="afterEach"/> while that MN is current, so events after the snapshot
    /// fold on top.
    /// </summary>
    public static void Read(byte[] snapshot, LmaMobileNodeRecovery recovery, Action<string> afterEach) => Parse(snapshot, recovery, afterEach);

    private static void Parse(byte[] snapshot, LmaMobileNodeRecovery? recovery, Action<string>? afterEach)
    {
        var reader = new SpanReader(snapshot);
        if (reader.UInt32() != Magic || reader.Byte() != Version) throw new InvalidDataException("not an LMA node snapshot of version 1");
        var mags = new MagAddress[reader.UInt16()];
        for (var i = 0; i < mags.Length; i++)
        {
            var length = reader.Byte();
            mags[i] = new MagAddress(new IPAddress(reader.Bytes(length)));
        }

        var count = reader.Int32();
        for (var n = 0; n < count; n++)
        {
            var idLength = reader.UInt16();
            var id = Encoding.UTF8.GetString(reader.Bytes(idLength));
            recovery?.Begin(id);
            int bindings = reader.Byte();
            for (var i = 0; i < bindings; i++)
            {
                var mag = mags[reader.UInt16()];
                var flags = reader.Byte();
                HomeNetworkPrefix? prefix = null;
                IPAddress? hoa = null;
                if ((flags & HasPrefix) != 0)
                {
                    var address = reader.Bytes(16);
                    var length = reader.Byte();
                    if (recovery is not null) prefix = new HomeNetworkPrefix(new IPAddress(address), length);
                }

                if ((flags & HasIPv4) != 0)
                {
                    var address = reader.Bytes(4);
                    if (recovery is not null) hoa = new IPAddress(address);
                }

                var att = (AccessTechnologyType)reader.Byte();
                var lifetime = TimeSpan.FromTicks(reader.Int64());
                var expiresAt = new DateTimeOffset(reader.Int64(), TimeSpan.Zero);
                recovery?.SeedBinding(mag, prefix, hoa, att, lifetime, expiresAt);
            }

            int forwarding = reader.UInt16();
            for (var i = 0; i < forwarding; i++)
            {
                var source = reader.FlowAddress();
                var destination = reader.FlowAddress();
                var key = new FlowKey(source, destination, reader.UInt16(), reader.UInt16());
                var mag = mags[reader.UInt16()];
                // Read before the call: `recovery?.` would skip evaluating its arguments in the checking pass.
                var expiresAt = new DateTimeOffset(reader.Int64(), TimeSpan.Zero);
                recovery?.SeedForwarding(key, mag, expiresAt);
            }

            int pending = reader.UInt16();
            for (var i = 0; i < pending; i++)
            {
                var sequence = reader.UInt16();
                recovery?.SeedPending(sequence);
            }

            afterEach?.Invoke(id);
        }

        if (reader.UInt32() != Trailer || !reader.AtEnd) throw new InvalidDataException("the LMA node snapshot does not end where its count says");
    }

    /// <summary>Bounds-checked little-endian reads; running past the end is a damaged snapshot.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> rest = data;

        public readonly bool AtEnd => rest.IsEmpty;

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length > rest.Length) throw new InvalidDataException("the LMA node snapshot is cut short");
            var bytes = rest[..length];
            rest = rest[length..];
            return bytes;
        }

        public byte Byte() => Bytes(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        public FlowAddress FlowAddress()
        {
            var value = BinaryPrimitives.ReadUInt128LittleEndian(Bytes(16));
            var length = Byte();
            return Byte() != 0 ? Wire.FlowAddress.FromIPv4((uint)value) : Wire.FlowAddress.FromIPv6(value, length);
        }
    }
}
