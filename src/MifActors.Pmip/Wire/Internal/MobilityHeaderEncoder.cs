using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using L = MifActors.Pmip.Wire.Internal.MobilityOptionLayout;

namespace MifActors.Pmip.Wire.Internal;

/// <summary>Writes messages: fixed fields first, then options in the order their specifications list them.</summary>
internal static class MobilityHeaderEncoder
{
    public static int Encode(MobilityMessage message, Span<byte> destination, MobilityHeaderCodecOptions options)
    {
        if (destination.Length < L.OptionsOffset)
            throw new ArgumentException($"destination is {destination.Length} bytes; a message needs at least 16", nameof(destination));
        destination[..L.OptionsOffset].Clear();
        destination[0] = L.PayloadProtoNone;
        var writer = new MobilityOptionWriter(destination, L.OptionsOffset);
        switch (message)
        {
            case ProxyBindingUpdate pbu:
                destination[L.TypeOffset] = MobilityHeaderType.BindingUpdate;
                BinaryPrimitives.WriteUInt16BigEndian(destination[6..], pbu.SequenceNumber);
                BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)pbu.Flags);
                BinaryPrimitives.WriteUInt16BigEndian(destination[10..], pbu.Lifetime);
                WriteBindingOptions(ref writer, pbu.MobileNodeIdentifier, pbu.HomeNetworkPrefixes, pbu.HandoffIndicator,
                    pbu.AccessTechnologyType, pbu.Timestamp, options);
                if (pbu.IPv4HomeAddressRequest is { } request)
                {
                    var data = writer.Begin(MobilityOptionType.IPv4HomeAddressRequest, L.IPv4OptionLength,
                        L.Alignment(MobilityOptionType.IPv4HomeAddressRequest, options, false));
                    data[0] = (byte)(CheckIPv4PrefixLength(request.PrefixLength) << 2);
                    WriteIPv4(data[2..], request.HomeAddress);
                }

                break;
            case ProxyBindingAck pba:
                destination[L.TypeOffset] = MobilityHeaderType.BindingAcknowledgement;
                destination[6] = (byte)pba.Status;
                destination[7] = (byte)pba.Flags;
                BinaryPrimitives.WriteUInt16BigEndian(destination[8..], pba.SequenceNumber);
                BinaryPrimitives.WriteUInt16BigEndian(destination[10..], pba.Lifetime);
                WriteBindingOptions(ref writer, pba.MobileNodeIdentifier, pba.HomeNetworkPrefixes, pba.HandoffIndicator,
                    pba.AccessTechnologyType, pba.Timestamp, options);
                if (pba.IPv4HomeAddressReply is { } reply)
                {
                    var data = writer.Begin(MobilityOptionType.IPv4HomeAddressReply, L.IPv4OptionLength,
                        L.Alignment(MobilityOptionType.IPv4HomeAddressReply, options, false));
                    data[0] = reply.Status;
                    data[1] = (byte)(CheckIPv4PrefixLength(reply.PrefixLength) << 2);
                    WriteIPv4(data[2..], reply.HomeAddress);
                }

                if (pba.IPv4DefaultRouterAddress is { } router)
                {
                    var data = writer.Begin(MobilityOptionType.IPv4DefaultRouterAddress, L.IPv4OptionLength,
                        L.Alignment(MobilityOptionType.IPv4DefaultRouterAddress, options, false));
                    WriteIPv4(data[2..], router);
                }

                break;
            case Heartbeat heartbeat:
                destination[L.TypeOffset] = MobilityHeaderType.Heartbeat;
                destination[7] = (byte)((heartbeat.Unsolicited ? 0x02 : 0) | (heartbeat.Response ? 0x01 : 0));
                BinaryPrimitives.WriteUInt32BigEndian(destination[8..], heartbeat.SequenceNumber);
                break;
            case FlowHandoverRequest fhrq:
                if (fhrq.MobileNodeIdentifier is null)
                    throw new ArgumentException("an FHRQ must carry the MN-ID (draft-koodli-flow-handover-00 §4.1)", nameof(message));
                if (fhrq.Flows is null || fhrq.Flows.Count == 0)
                    throw new ArgumentException("an FHRQ must carry at least one flow tuple (draft-koodli-flow-handover-00 §4.1)", nameof(message));
                destination[L.TypeOffset] = options.FlowHandoverMhType;
                BinaryPrimitives.WriteUInt16BigEndian(destination[6..], fhrq.SequenceNumber);
                destination[8] = (byte)(fhrq.Cease ? 0x40 : 0);
                BinaryPrimitives.WriteUInt16BigEndian(destination[10..], fhrq.Lifetime);
                WriteMobileNodeIdentifier(ref writer, fhrq.MobileNodeIdentifier);
                WriteFlows(ref writer, fhrq.Flows.AsSpan(), options);
                break;
            case FlowHandoverReply fhrp:
                destination[L.TypeOffset] = options.FlowHandoverMhType;
                BinaryPrimitives.WriteUInt16BigEndian(destination[6..], fhrp.SequenceNumber);
                destination[8] = (byte)(0x80 | (fhrp.Unsolicited ? 0x40 : 0));
                destination[9] = (byte)fhrp.Status;
                BinaryPrimitives.WriteUInt16BigEndian(destination[10..], fhrp.Lifetime);
                if (fhrp.MobileNodeIdentifier is not null) WriteMobileNodeIdentifier(ref writer, fhrp.MobileNodeIdentifier);
                if (fhrp.Flows is not null) WriteFlows(ref writer, fhrp.Flows.AsSpan(), options);
                break;
            default:
                throw new ArgumentException($"no encoding for {message.GetType().Name}", nameof(message));
        }

        if (message.Authentication is { } authentication)
        {
            // 8n+1 is a case of the option's 4n+1 rule, and with its 39 bytes it ends on an 8-byte boundary:
            // no padding follows the authenticator, so the authenticator is the last thing in the message.
            var data = writer.Begin(MobilityOptionType.Authentication, L.AuthenticationLength, 0x81);
            data[0] = options.AuthenticationSubtype;
            BinaryPrimitives.WriteUInt32BigEndian(data[1..], authentication.SecurityParameterIndex);
            var authenticator = authentication.Authenticator.Span;
            if (authenticator.Length is not (0 or MobilityAuthentication.AuthenticatorLength))
                throw new ArgumentException($"an authenticator is {MobilityAuthentication.AuthenticatorLength} bytes, not {authenticator.Length}", nameof(message));
            authenticator.CopyTo(data[5..]);
        }

        var length = writer.Finish();
        destination[L.HeaderLengthOffset] = (byte)(length / 8 - 1);
        return length;
    }

    private static void WriteBindingOptions(
        ref MobilityOptionWriter writer,
        MobileNodeIdentifier? mnId,
        ValueList<HomeNetworkPrefix>? prefixes,
        HandoffIndicator? handoff,
        AccessTechnologyType? accessTechnology,
        MobilityTimestamp? timestamp,
        MobilityHeaderCodecOptions options)
    {
        if (mnId is not null) WriteMobileNodeIdentifier(ref writer, mnId);
        if (prefixes is not null)
        {
            foreach (var prefix in prefixes.AsSpan())
            {
                if (prefix.Prefix.AddressFamily != AddressFamily.InterNetworkV6 || prefix.PrefixLength > 128)
                    throw new ArgumentException($"home network prefix {prefix} is not an IPv6 prefix", nameof(prefixes));
                var data = writer.Begin(MobilityOptionType.HomeNetworkPrefix, L.HomeNetworkPrefixLength,
                    L.Alignment(MobilityOptionType.HomeNetworkPrefix, options, false));
                data[1] = prefix.PrefixLength;
                prefix.Prefix.TryWriteBytes(data[2..], out _);
            }
        }

        if (handoff is { } hi)
            writer.Begin(MobilityOptionType.HandoffIndicator, 2, 0x10)[1] = (byte)hi;
        if (accessTechnology is { } att)
            writer.Begin(MobilityOptionType.AccessTechnologyType, 2, 0x10)[1] = (byte)att;
        if (timestamp is { } ts)
        {
            var data = writer.Begin(MobilityOptionType.Timestamp, L.TimestampLength,
                L.Alignment(MobilityOptionType.Timestamp, options, false));
            BinaryPrimitives.WriteUInt64BigEndian(data, ts.Value);
        }
    }

    private static void WriteMobileNodeIdentifier(ref MobilityOptionWriter writer, MobileNodeIdentifier mnId)
    {
        var identifier = mnId.Identifier.Span;
        if (identifier.Length is 0 or > 254)
            throw new ArgumentException($"an MN identifier is 1 to 254 bytes, not {identifier.Length}", nameof(mnId));
        var data = writer.Begin(MobilityOptionType.MobileNodeIdentifier, 1 + identifier.Length, 0x10);
        data[0] = (byte)mnId.Subtype;
        identifier.CopyTo(data[1..]);
    }

    private static void WriteFlows(ref MobilityOptionWriter writer, ReadOnlySpan<FlowTuple> flows, MobilityHeaderCodecOptions options)
    {
        var layouts = FlowTupleLayouts.For(options);
        foreach (ref readonly var flow in flows)
        {
            var template = layouts.Get(writer.Position, flow.Source.IsIPv4, flow.Destination.IsIPv4);
            var tuple = writer.Reserve(template.Bytes.Length);
            template.Bytes.CopyTo(tuple);
            WriteFlowAddress(tuple[template.Source..], flow.Source);
            WriteFlowAddress(tuple[template.Destination..], flow.Destination);
            BinaryPrimitives.WriteUInt16BigEndian(tuple[(template.Ports + 2)..], flow.SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(tuple[(template.Ports + 4)..], flow.DestinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(tuple[template.QosUplink..], flow.QosUplink.Value);
            BinaryPrimitives.WriteUInt16BigEndian(tuple[template.QosDownlink..], flow.QosDownlink.Value);
        }
    }

    // The option's data: IPv6 in the HNP format (reserved, prefix length, 16 octets), IPv4 as reserved (2) + address.
    private static void WriteFlowAddress(Span<byte> data, FlowAddress address)
    {
        if (address.IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data[2..], (uint)address.Value);
        }
        else
        {
            data[1] = address.PrefixLength;
            BinaryPrimitives.WriteUInt128BigEndian(data[2..], address.Value);
        }
    }

    private static byte CheckIPv4PrefixLength(byte prefixLength) => prefixLength <= 32
        ? prefixLength
        : throw new ArgumentException($"an IPv4 prefix length is at most 32, not {prefixLength}", nameof(prefixLength));

    private static void WriteIPv4(Span<byte> destination, IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"not an IPv4 address: {address}", nameof(address));
        address.TryWriteBytes(destination, out _);
    }
}
