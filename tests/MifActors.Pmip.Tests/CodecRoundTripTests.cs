using System.Net;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests;

public class CodecRoundTripTests
{
    public static TheoryData<int> MessageIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Samples.All().Count(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void Every_message_decodes_to_what_was_encoded(int index)
    {
        var message = Samples.All().ElementAt(index);
        var bytes = Samples.Encode(message);

        Assert.Equal(0, bytes.Length % 8);
        Assert.Equal(bytes.Length / 8 - 1, bytes[1]);
        Assert.True(MobilityHeaderCodec.TryDecode(bytes, out var decoded, out string? error), error);
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Every_option_survives_a_round_trip_with_its_value()
    {
        var pbu = Samples.Pbu();
        var decoded = Assert.IsType<ProxyBindingUpdate>(Decode(Samples.Encode(pbu)));

        Assert.Equal("mn1@example.net", decoded.MobileNodeIdentifier!.Text);
        Assert.Equal(IPAddress.Parse("2001:db8:1:2::"), decoded.HomeNetworkPrefixes![0].Prefix);
        Assert.Equal(64, decoded.HomeNetworkPrefixes[0].PrefixLength);
        Assert.Equal(HandoffIndicator.AttachmentOverNewInterface, decoded.HandoffIndicator);
        Assert.Equal(AccessTechnologyType.Ieee80211, decoded.AccessTechnologyType);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), decoded.Timestamp!.Value.ToDateTimeOffset());
        Assert.Equal(new IPv4HomeAddressRequest(24, IPAddress.Any), decoded.IPv4HomeAddressRequest);
        Assert.Equal(TimeSpan.FromHours(1), decoded.LifetimeDuration);

        var pba = Assert.IsType<ProxyBindingAck>(Decode(Samples.Encode(Samples.Pba())));
        Assert.Equal(new IPv4HomeAddressReply(0, 24, IPAddress.Parse("10.1.2.3")), pba.IPv4HomeAddressReply);
        Assert.Equal(IPAddress.Parse("10.1.2.1"), pba.IPv4DefaultRouterAddress);
        Assert.Equal(2, pba.HomeNetworkPrefixes!.Count);
    }

    [Theory]
    [InlineData(MobileNodeIdentifierSubtype.IPv6Address, 16)]
    [InlineData(MobileNodeIdentifierSubtype.Imsi, 8)]
    [InlineData(MobileNodeIdentifierSubtype.PTmsi, 4)]
    [InlineData(MobileNodeIdentifierSubtype.Eui48, 6)]
    [InlineData(MobileNodeIdentifierSubtype.Eui64, 8)]
    [InlineData(MobileNodeIdentifierSubtype.Guti, 10)]
    public void Rfc8371_identifier_subtypes_round_trip(MobileNodeIdentifierSubtype subtype, int length)
    {
        var identifier = new MobileNodeIdentifier(subtype, Enumerable.Range(1, length).Select(i => (byte)i).ToArray());
        var message = new ProxyBindingUpdate(3, ProxyBindingUpdate.ProxyFlags, 10, identifier);

        Assert.Equal(message, Decode(Samples.Encode(message)));
    }

    [Fact]
    public void Fhrq_and_fhrp_share_the_configured_mh_type_and_differ_by_the_r_bit()
    {
        var request = Samples.Encode(Samples.Fhrq());
        var reply = Samples.Encode(Samples.Fhrp());

        Assert.Equal(MobilityHeaderCodecOptions.Default.FlowHandoverMhType, request[2]);
        Assert.Equal(request[2], reply[2]);
        Assert.Equal(0, request[8] & 0x80);
        Assert.Equal(0x80, reply[8] & 0x80);
    }

    [Fact]
    public void Unassigned_types_follow_the_codec_options()
    {
        var options = new MobilityHeaderCodecOptions
        {
            FlowHandoverMhType = 210, FlowIPv6AddressOptionType = 220, FlowIPv4AddressOptionType = 221,
            FlowPortsOptionType = 222, FlowQosOptionType = 223,
        };
        var bytes = Samples.Encode(Samples.Fhrq(), options);

        Assert.Equal(210, bytes[2]);
        Assert.True(MobilityHeaderCodec.TryDecode(bytes, options, out var decoded, out var error), error.Message);
        Assert.Equal(Samples.Fhrq(), decoded);
        Assert.False(MobilityHeaderCodec.TryDecode(bytes, out _, out error));
        Assert.Equal(MobilityHeaderErrorCode.UnknownMessageType, error.Code);
    }

    [Fact]
    public void Decoding_into_a_reused_buffer_gives_the_same_message_as_the_record_path()
    {
        var buffer = new FlowHandoverBuffer();
        foreach (var message in new MobilityMessage[] { Samples.Fhrq(), Samples.Fhrp(), Samples.Fhrq() with { Cease = true } })
        {
            Assert.True(MobilityHeaderCodec.TryDecode(Samples.Encode(message), buffer, out var error), error.Message);
            Assert.Equal(message, buffer.ToMessage());
        }
    }

    [Fact]
    public void Decoding_a_binding_update_into_a_flow_handover_buffer_is_a_wrong_type_error()
    {
        Assert.False(MobilityHeaderCodec.TryDecode(Samples.Encode(Samples.Pbu()), new FlowHandoverBuffer(), out var error));
        Assert.Equal(MobilityHeaderErrorCode.WrongMessageType, error.Code);
    }

    [Fact]
    public void Many_flow_tuples_grow_the_buffer_and_still_round_trip()
    {
        var flows = Enumerable.Range(1, 40)
            .Select(i => new FlowTuple(FlowAddress.AnyIPv4, FlowAddress.Host(IPAddress.Parse($"10.0.0.{i}")), 0, (ushort)i, PhbId.Default, PhbId.FromDscp(10)))
            .ToArray();
        var message = Samples.Fhrq() with { Flows = flows };
        var buffer = new FlowHandoverBuffer();

        Assert.True(MobilityHeaderCodec.TryDecode(Samples.Encode(message), buffer, out var error), error.Message);
        Assert.Equal(40, buffer.FlowCount);
        Assert.Equal(message, buffer.ToMessage());
    }

    /// <summary>
    /// A tuple's padding depends on where it starts modulo 8 and on its address families: MN-IDs of 1 to 8 octets move
    /// the first tuple through every start, and the four tuples after it cover every pair of families.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Flow_tuples_of_every_address_family_round_trip_from_every_start_offset(int identifierLength)
    {
        var v6 = FlowAddress.Prefix(IPAddress.Parse("2001:db8:7::"), 48);
        var v4 = FlowAddress.Host(IPAddress.Parse("192.0.2.77"));
        var message = Samples.Fhrq() with
        {
            MobileNodeIdentifier = MobileNodeIdentifier.Nai(new string('m', identifierLength)),
            Flows = new[]
            {
                new FlowTuple(v6, v6, 1, 2, PhbId.FromDscp(1), PhbId.FromDscp(2)),
                new FlowTuple(v4, v6, 3, 4, PhbId.FromDscp(3), PhbId.FromDscp(4)),
                new FlowTuple(v6, v4, 5, 6, PhbId.FromDscp(5), PhbId.FromDscp(6)),
                new FlowTuple(v4, v4, 7, 8, PhbId.FromDscp(7), PhbId.FromDscp(8)),
                new FlowTuple(FlowAddress.AnyIPv6, FlowAddress.AnyIPv4, 0, 0, PhbId.Default, PhbId.Default),
            },
        };

        // The decoder checks every option's alignment rule, so a template padded wrongly fails here.
        Assert.Equal(message, Decode(Samples.Encode(message)));
    }

    [Fact]
    public void Encoding_over_old_bytes_writes_the_same_message_as_encoding_into_zeros()
    {
        var message = Samples.Fhrq();
        var clean = Samples.Encode(message);
        var dirty = new byte[MobilityHeaderCodec.MaxLength];
        Array.Fill(dirty, (byte)0xA5);

        var length = MobilityHeaderCodec.Encode(message, dirty);

        Assert.Equal(Convert.ToHexString(clean), Convert.ToHexString(dirty, 0, length));
    }

    [Fact]
    public void Encoders_with_different_flow_option_types_do_not_share_layouts()
    {
        var custom = new MobilityHeaderCodecOptions
        {
            FlowIPv6AddressOptionType = 220, FlowIPv4AddressOptionType = 221, FlowPortsOptionType = 222, FlowQosOptionType = 223,
        };
        var message = Samples.Fhrq();

        // Alternate so that each encode finds the other set's layouts remembered last.
        for (var round = 0; round < 2; round++)
        {
            var withDefaults = Samples.Encode(message);
            var withCustom = Samples.Encode(message, custom);

            Assert.True(MobilityHeaderCodec.TryDecode(withDefaults, out var decoded, out MobilityHeaderError error), error.Message);
            Assert.Equal(message, decoded);
            Assert.True(MobilityHeaderCodec.TryDecode(withCustom, custom, out decoded, out error), error.Message);
            Assert.Equal(message, decoded);
            Assert.False(MobilityHeaderCodec.TryDecode(withCustom, out _, out error));
        }
    }

    [Fact]
    public void A_message_too_large_for_a_mobility_header_is_refused_when_encoding()
    {
        var flows = Enumerable.Range(1, 60)
            .Select(i => new FlowTuple(FlowAddress.AnyIPv6, FlowAddress.AnyIPv6, 0, (ushort)i, PhbId.Default, PhbId.Default))
            .ToArray();
        var exception = Assert.Throws<ArgumentException>(() => Samples.Encode(Samples.Fhrq() with { Flows = flows }));
        Assert.Contains("at most 2048", exception.Message);
    }

    [Fact]
    public void An_fhrq_without_flows_is_refused_when_encoding()
    {
        Assert.Throws<ArgumentException>(() => Samples.Encode(Samples.Fhrq() with { Flows = ValueList<FlowTuple>.Empty }));
    }

    private static MobilityMessage Decode(byte[] bytes)
    {
        Assert.True(MobilityHeaderCodec.TryDecode(bytes, out var message, out string? error), error);
        return message!;
    }
}
