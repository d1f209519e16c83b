using System.Buffers.Binary;
using System.Net;
using E = MifActors.Pmip.Wire.MobilityHeaderErrorCode;
using L = MifActors.Pmip.Wire.Internal.MobilityOptionLayout;

namespace MifActors.Pmip.Wire.Internal;

/// <summary>
/// Reads messages in one pass over the span. Every read is bounds-checked against the message first, and every
/// failure is returned as a <see cref="MobilityHeaderError"/>: nothing here throws on input.
/// </summary>
internal static class MobilityHeaderDecoder
{
    /// <summary>Checks the framing of RFC 6275 §6.1.1 and that the MH type is one we decode.</summary>
    public static MobilityHeaderError ReadHeader(ReadOnlySpan<byte> packet, MobilityHeaderCodecOptions options, out byte type)
    {
        type = 0;
        if (packet.Length < 8) return new(E.Truncated, 0, packet.Length);
        if (packet.Length % 8 != 0) return new(E.LengthNotMultipleOfEight, 0, packet.Length);
        if (packet[0] != L.PayloadProtoNone) return new(E.WrongPayloadProto, 0, packet[0]);
        int headerLength = packet[L.HeaderLengthOffset];
        if ((headerLength + 1) * 8 != packet.Length)
            return new(E.BadHeaderLength, L.HeaderLengthOffset, headerLength, packet.Length);
        type = packet[L.TypeOffset];
        if (type is not (MobilityHeaderType.BindingUpdate or MobilityHeaderType.BindingAcknowledgement or MobilityHeaderType.Heartbeat)
            && type != options.FlowHandoverMhType)
            return new(E.UnknownMessageType, L.TypeOffset, type);

        // Every message we decode has 6 octets of fixed fields after the header: 8 octets cannot hold them.
        if (packet.Length < L.OptionsOffset) return new(E.BadHeaderLength, L.HeaderLengthOffset, headerLength);
        return default;
    }

    public static MobilityHeaderError Decode(ReadOnlySpan<byte> packet, MobilityHeaderCodecOptions options, out MobilityMessage? message)
    {
        message = null;
        var error = ReadHeader(packet, options, out var type);
        if (error.IsError) return error;
        if (type == options.FlowHandoverMhType)
        {
            var buffer = new FlowHandoverBuffer();
            error = DecodeFlowHandoverBody(packet, buffer, options);
            if (!error.IsError) message = buffer.ToMessage();
            return error;
        }

        var found = new BindingOptions();
        error = ReadBindingOptions(packet, options, ref found);
        if (error.IsError) return error;
        var prefixes = found.Prefixes is null ? null : new ValueList<HomeNetworkPrefix>(found.Prefixes);
        message = type switch
        {
            MobilityHeaderType.BindingUpdate => new ProxyBindingUpdate(
                BinaryPrimitives.ReadUInt16BigEndian(packet[6..]),
                (BindingUpdateFlags)BinaryPrimitives.ReadUInt16BigEndian(packet[8..]),
                BinaryPrimitives.ReadUInt16BigEndian(packet[10..]),
                found.MobileNodeIdentifier, prefixes, found.HandoffIndicator, found.AccessTechnologyType, found.Timestamp,
                found.IPv4HomeAddressRequest),
            MobilityHeaderType.BindingAcknowledgement => new ProxyBindingAck(
                (BindingAckStatus)packet[6],
                (BindingAckFlags)packet[7],
                BinaryPrimitives.ReadUInt16BigEndian(packet[8..]),
                BinaryPrimitives.ReadUInt16BigEndian(packet[10..]),
                found.MobileNodeIdentifier, prefixes, found.HandoffIndicator, found.AccessTechnologyType, found.Timestamp,
                found.IPv4HomeAddressReply, found.IPv4DefaultRouterAddress),
            _ => new Heartbeat(
                (packet[7] & 0x02) != 0,
                (packet[7] & 0x01) != 0,
                BinaryPrimitives.ReadUInt32BigEndian(packet[8..])),
        };
        message = message with { Authentication = found.Authentication };
        return default;
    }

    public static MobilityHeaderError DecodeFlowHandover(ReadOnlySpan<byte> packet, FlowHandoverBuffer into, MobilityHeaderCodecOptions options)
    {
        into.Reset();
        var error = ReadHeader(packet, options, out var type);
        if (error.IsError) return error;
        if (type != options.FlowHandoverMhType) return new(E.WrongMessageType, L.TypeOffset, type, options.FlowHandoverMhType);
        return DecodeFlowHandoverBody(packet, into, options);
    }

    private struct BindingOptions
    {
        public MobileNodeIdentifier? MobileNodeIdentifier;
        public List<HomeNetworkPrefix>? Prefixes;
        public HandoffIndicator? HandoffIndicator;
        public AccessTechnologyType? AccessTechnologyType;
        public MobilityTimestamp? Timestamp;
        public IPv4HomeAddressRequest? IPv4HomeAddressRequest;
        public IPv4HomeAddressReply? IPv4HomeAddressReply;
        public IPAddress? IPv4DefaultRouterAddress;
        public MobilityAuthentication? Authentication;
    }

    private static MobilityHeaderError ReadBindingOptions(ReadOnlySpan<byte> packet, MobilityHeaderCodecOptions options, ref BindingOptions found)
    {
        var reader = new MobilityOptionReader(packet, L.OptionsOffset);
        MobilityHeaderError error;
        while (reader.MoveNext(out error))
        {
            var data = reader.Data;
            var type = reader.Type;
            if (found.Authentication is not null) return new(E.OptionOutOfOrder, reader.OptionOffset, type, -1);
            var alignment = L.Alignment(type, options, false);
            switch (type)
            {
                case MobilityOptionType.MobileNodeIdentifier:
                    if (found.MobileNodeIdentifier is not null) return Duplicate(reader);
                    if (!TryReadMobileNodeIdentifier(reader, out var subtype, out var identifier, out error)) return error;
                    found.MobileNodeIdentifier = new(subtype, identifier.ToArray());
                    break;
                case MobilityOptionType.HomeNetworkPrefix:
                    if (!reader.Check(alignment, L.HomeNetworkPrefixLength, out error)) return error;
                    if (data[1] > 128) return BadValue(reader, data[1]);
                    (found.Prefixes ??= []).Add(new(new IPAddress(data.Slice(2, 16)), data[1]));
                    break;
                case MobilityOptionType.HandoffIndicator:
                    if (found.HandoffIndicator is not null) return Duplicate(reader);
                    if (!reader.Check(alignment, 2, out error)) return error;
                    found.HandoffIndicator = (HandoffIndicator)data[1];
                    break;
                case MobilityOptionType.AccessTechnologyType:
                    if (found.AccessTechnologyType is not null) return Duplicate(reader);
                    if (!reader.Check(alignment, 2, out error)) return error;
                    found.AccessTechnologyType = (AccessTechnologyType)data[1];
                    break;
                case MobilityOptionType.Timestamp:
                    if (found.Timestamp is not null) return Duplicate(reader);
                    if (!reader.Check(alignment, L.TimestampLength, out error)) return error;
                    found.Timestamp = new(BinaryPrimitives.ReadUInt64BigEndian(data));
                    break;
                case MobilityOptionType.IPv4HomeAddressRequest:
                    if (found.IPv4HomeAddressRequest is not null) return Duplicate(reader);
                    if (!reader.Check(alignment, L.IPv4OptionLength, out error)) return error;
                    if (data[0] >> 2 > 32) return BadValue(reader, data[0] >> 2);
                    found.IPv4HomeAddressRequest = new((byte)(data[0] >> 2), new IPAddress(data.Slice(2, 4)));
                    break;
                case MobilityOptionType.IPv4HomeAddressReply:
                    if (found.IPv4HomeAddressReply is not null) return Duplicate(reader);
                    if (!reader.Check(alignment, L.IPv4OptionLength, out error)) return error;
                    if (data[1] >> 2 > 32) return BadValue(reader, data[1] >> 2);
                    found.IPv4HomeAddressReply = new(data[0], (byte)(data[1] >> 2), new IPAddress(data.Slice(2, 4)));
                    break;
                case MobilityOptionType.IPv4DefaultRouterAddress:
                    if (found.IPv4DefaultRouterAddress is not null) return Duplicate(reader);
                    if (!reader.Check(alignment, L.IPv4OptionLength, out error)) return error;
                    found.IPv4DefaultRouterAddress = new IPAddress(data.Slice(2, 4));
                    break;
                case MobilityOptionType.Authentication:
                    if (!TryReadAuthentication(reader, out var spi, out var authenticator, out error)) return error;
                    found.Authentication = new(spi, authenticator.ToArray());
                    break;
                default:
                    // RFC 6275 §6.2.1: an unrecognised option is skipped, unless the operator asked for strictness.
                    if (options.RejectUnknownOptions) return new(E.UnknownMandatoryOption, reader.OptionOffset, type);
                    break;
            }
        }

        return error;
    }

    private static MobilityHeaderError DecodeFlowHandoverBody(ReadOnlySpan<byte> packet, FlowHandoverBuffer into, MobilityHeaderCodecOptions options)
    {
        var isReply = (packet[8] & 0x80) != 0;
        into.IsReply = isReply;
        into.SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        into.Lifetime = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        if (isReply)
        {
            into.Unsolicited = (packet[8] & 0x40) != 0;
            into.Status = (FlowHandoverStatus)packet[9];
        }
        else
        {
            into.Cease = (packet[8] & 0x40) != 0;
        }

        // The draft fixes the options: MN-ID, then whole tuples of five options each; authentication ends the list.
        const int ExpectMnId = 0, ExpectSource = 1, ExpectDestination = 2, ExpectPorts = 3, ExpectQosUp = 4, ExpectQosDown = 5, Done = 6;
        var mandatory = !isReply || into.Status == FlowHandoverStatus.Success;
        var state = ExpectMnId;
        FlowAddress source = default, destination = default;
        ushort sourcePort = 0, destinationPort = 0;
        PhbId qosUp = default;

        // The four flow option types and their alignment rules, read once rather than once per option.
        var ipv6Type = options.FlowIPv6AddressOptionType;
        var ipv4Type = options.FlowIPv4AddressOptionType;
        var portsType = options.FlowPortsOptionType;
        var qosType = options.FlowQosOptionType;
        var ipv6Alignment = L.Alignment(ipv6Type, options, true);
        var ipv4Alignment = L.Alignment(ipv4Type, options, true);
        var portsAlignment = L.Alignment(portsType, options, true);
        var qosAlignment = L.Alignment(qosType, options, true);
        var reader = new MobilityOptionReader(packet, L.OptionsOffset);
        MobilityHeaderError error;
        while (reader.MoveNext(out error))
        {
            var type = reader.Type;
            var data = reader.Data;
            if (state == Done) return new(E.OptionOutOfOrder, reader.OptionOffset, type, -1);
            if (type == MobilityOptionType.Authentication && state is ExpectMnId or ExpectSource)
            {
                if (!TryReadAuthentication(reader, out var spi, out var authenticator, out error)) return error;
                into.SetAuthentication(spi, authenticator);
                state = Done;
                continue;
            }

            if (state == ExpectMnId)
            {
                if (type == MobilityOptionType.MobileNodeIdentifier)
                {
                    if (!TryReadMobileNodeIdentifier(reader, out var subtype, out var identifier, out error)) return error;
                    into.SetMobileNodeIdentifier(subtype, identifier);
                    state = ExpectSource;
                    continue;
                }

                if (mandatory) return new(E.MissingMandatoryOption, reader.OptionOffset, MobilityOptionType.MobileNodeIdentifier);
                state = ExpectSource;
            }

            if (state is ExpectSource or ExpectDestination)
            {
                FlowAddress address;
                if (type == ipv6Type)
                {
                    if (!reader.Check(ipv6Alignment, L.HomeNetworkPrefixLength, out error)) return error;
                    if (data[1] > 128) return BadValue(reader, data[1]);
                    address = FlowAddress.FromIPv6(data.Slice(2, 16), data[1]);
                }
                else if (type == ipv4Type)
                {
                    if (!reader.Check(ipv4Alignment, L.IPv4OptionLength, out error)) return error;
                    address = FlowAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(data[2..]));
                }
                else
                {
                    return Misplaced(reader, ipv6Type, options);
                }

                if (state == ExpectSource) source = address;
                else destination = address;
                state++;
            }
            else if (state == ExpectPorts)
            {
                if (type != portsType) return Misplaced(reader, portsType, options);
                if (!reader.Check(portsAlignment, L.PortsOptionLength, out error)) return error;
                sourcePort = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
                destinationPort = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
                state++;
            }
            else
            {
                if (type != qosType) return Misplaced(reader, qosType, options);
                if (!reader.Check(qosAlignment, L.QosOptionLength, out error)) return error;
                var qos = new PhbId(BinaryPrimitives.ReadUInt16BigEndian(data));
                if (state == ExpectQosUp)
                {
                    qosUp = qos;
                    state++;
                }
                else
                {
                    into.AddFlow(new FlowTuple(source, destination, sourcePort, destinationPort, qosUp, qos));
                    state = ExpectSource;
                }
            }
        }

        if (error.IsError) return error;
        if (state is ExpectDestination or ExpectPorts or ExpectQosUp or ExpectQosDown)
        {
            var missing = state switch
            {
                ExpectDestination => options.FlowIPv6AddressOptionType,
                ExpectPorts => options.FlowPortsOptionType,
                _ => options.FlowQosOptionType,
            };
            return new(E.MissingMandatoryOption, packet.Length, missing);
        }

        if (mandatory && !into.HasMobileNodeIdentifier)
            return new(E.MissingMandatoryOption, packet.Length, MobilityOptionType.MobileNodeIdentifier);
        if (mandatory && into.FlowCount == 0)
            return new(E.MissingMandatoryOption, packet.Length, options.FlowIPv6AddressOptionType);
        return default;
    }

    private static bool TryReadMobileNodeIdentifier(
        MobilityOptionReader reader,
        out MobileNodeIdentifierSubtype subtype,
        out ReadOnlySpan<byte> identifier,
        out MobilityHeaderError error)
    {
        var data = reader.Data;
        subtype = default;
        identifier = default;
        if (data.Length < 2)
        {
            error = new(E.BadOptionLength, reader.OptionOffset, reader.Type, data.Length);
            return false;
        }

        subtype = (MobileNodeIdentifierSubtype)data[0];
        identifier = data[1..];
        var required = subtype switch
        {
            MobileNodeIdentifierSubtype.IPv6Address => 16,
            MobileNodeIdentifierSubtype.Eui48 => 6,
            MobileNodeIdentifierSubtype.Eui64 => 8,
            _ => -1,
        };
        if (data[0] == 0)
        {
            error = BadValue(reader, 0);
            return false;
        }

        if (required >= 0 && identifier.Length != required)
        {
            error = new(E.BadOptionLength, reader.OptionOffset, reader.Type, data.Length);
            return false;
        }

        error = default;
        return true;
    }

    private static bool TryReadAuthentication(MobilityOptionReader reader, out uint spi, out ReadOnlySpan<byte> authenticator, out MobilityHeaderError error)
    {
        spi = 0;
        authenticator = default;
        if (!reader.Check(0x41, L.AuthenticationLength, out error)) return false;
        spi = BinaryPrimitives.ReadUInt32BigEndian(reader.Data[1..]);
        authenticator = reader.Data[5..];
        return true;
    }

    private static MobilityHeaderError Misplaced(MobilityOptionReader reader, byte expected, MobilityHeaderCodecOptions options)
    {
        var type = reader.Type;
        var known = type == MobilityOptionType.MobileNodeIdentifier || type == MobilityOptionType.Authentication
            || type == options.FlowIPv6AddressOptionType || type == options.FlowIPv4AddressOptionType
            || type == options.FlowPortsOptionType || type == options.FlowQosOptionType;
        return known
            ? new(E.OptionOutOfOrder, reader.OptionOffset, type, expected)
            : new(E.UnknownMandatoryOption, reader.OptionOffset, type);
    }

    private static MobilityHeaderError Duplicate(MobilityOptionReader reader) => new(E.DuplicateOption, reader.OptionOffset, reader.Type);

    private static MobilityHeaderError BadValue(MobilityOptionReader reader, int value) =>
        new(E.BadOptionValue, reader.OptionOffset, reader.Type, value);
}
