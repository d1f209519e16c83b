using MifActors.Pmip.Wire;
using static MifActors.Pmip.Tests.Support.MobilityHeaderBuilder;

namespace MifActors.Pmip.Tests;

public class MalformedInputTests
{
    // PBU fixed fields: sequence 1, A|H|P, lifetime 10.
    private static readonly byte[] PbuFields = Hex("0001 C200 000A");

    // FHRQ fixed fields: sequence 7, R=0, lifetime 30.
    private static readonly byte[] FhrqFields = Hex("0007 0000 001E");

    private const string MnId = "0804016D6E31" + "0100";                    // MN-ID "mn1" at 12, PadN to 20
    private const string Source = "16120080" + "20010DB8000000000000000000000001"; // at 20 (8n+4)
    private const string Destination = "01020000" + "16120000" + "00000000000000000000000000000000"; // at 44
    private const string Ports = "CA060000000001BB";                      // at 64
    private const string QosBoth = "CB020000CB02B800";                    // at 72

    [Fact]
    public void A_packet_shorter_than_eight_bytes_is_truncated()
    {
        var error = Rejected(Hex("3B000500000000"), MobilityHeaderErrorCode.Truncated);
        Assert.Equal("packet is 7 bytes; a Mobility Header needs at least 8", error.Message);
    }

    [Fact]
    public void A_length_that_is_not_a_multiple_of_eight_is_rejected() =>
        Rejected([.. Build(5, PbuFields, Hex("01020000")), 0, 0], MobilityHeaderErrorCode.LengthNotMultipleOfEight);

    [Fact]
    public void A_payload_proto_other_than_59_is_rejected()
    {
        var packet = Build(5, PbuFields, Hex("01020000"));
        packet[0] = 6;
        Assert.Equal("payload proto is 6; a Mobility Header must carry 59 (no next header)",
            Rejected(packet, MobilityHeaderErrorCode.WrongPayloadProto).Message);
    }

    [Fact]
    public void A_header_length_that_disagrees_with_the_packet_is_rejected()
    {
        var error = Rejected(Build(5, PbuFields, Hex("01020000"), headerLength: 3), MobilityHeaderErrorCode.BadHeaderLength);
        Assert.Equal("header length 3 says 32 bytes but the packet has 16", error.Message);
    }

    [Fact]
    public void A_header_length_too_short_for_the_fixed_fields_is_rejected()
    {
        var packet = Hex("3B00050000000001");
        Rejected(packet, MobilityHeaderErrorCode.BadHeaderLength);
    }

    [Fact]
    public void An_unknown_mh_type_is_rejected() =>
        Rejected(Build(99, PbuFields, Hex("01020000")), MobilityHeaderErrorCode.UnknownMessageType);

    [Fact]
    public void An_option_length_past_the_end_names_the_offset_and_bytes_left()
    {
        // PadN filling 12..26, then an option at 27 claiming 7 bytes where 3 are left.
        var packet = Build(5, PbuFields, Hex("010D" + "00000000000000000000000000" + "6307" + "000000"));
        var error = Rejected(packet, MobilityHeaderErrorCode.OptionTruncated);
        Assert.Equal("option length 7 runs past the message (3 bytes left) at offset 27", error.Message);
        Assert.Equal(27, error.Offset);
    }

    [Fact]
    public void An_option_type_in_the_last_byte_has_no_length_and_is_truncated() =>
        Rejected(Build(5, PbuFields, Hex("010100" + "63")), MobilityHeaderErrorCode.OptionTruncated);

    [Fact]
    public void A_padn_with_a_non_zero_byte_is_bad_padding() =>
        Rejected(Build(5, PbuFields, Hex("01020001")), MobilityHeaderErrorCode.BadPadding);

    [Fact]
    public void A_home_network_prefix_off_its_8n_plus_4_alignment_is_rejected()
    {
        var packet = Build(5, PbuFields, Hex("01020000" + "16120040" + "20010DB8000100020000000000000000" + "01020000"));
        var error = Rejected(packet, MobilityHeaderErrorCode.MisalignedOption);
        Assert.Equal("option type 22 at offset 16 breaks its alignment rule 8n+4", error.Message);
    }

    [Fact]
    public void A_handoff_indicator_with_the_wrong_length_is_rejected() =>
        Rejected(Build(5, PbuFields, Hex("1703000100" + "01050000000000")), MobilityHeaderErrorCode.BadOptionLength);

    [Fact]
    public void A_prefix_length_over_128_is_a_bad_value() =>
        Rejected(Build(5, PbuFields, Hex("16120081" + "20010DB8000100020000000000000000")), MobilityHeaderErrorCode.BadOptionValue);

    [Fact]
    public void A_second_mobile_node_identifier_is_a_duplicate() =>
        Rejected(Build(5, PbuFields, Hex("0802016D" + "0802016E" + "01020000")), MobilityHeaderErrorCode.DuplicateOption);

    [Fact]
    public void An_option_after_the_authentication_option_is_out_of_order()
    {
        var signed = new byte[MobilityHeaderCodec.MaxLength];
        var length = MobilityMessageAuthentication.EncodeSigned(new Heartbeat(false, false, 1), signed, 1, new byte[32]);
        var packet = Build(13, signed.AsSpan(6, 6), [.. signed.AsSpan(12, length - 12), .. Hex("17020001" + "01020000")]);
        var error = Rejected(packet, MobilityHeaderErrorCode.OptionOutOfOrder);
        Assert.Contains("must be last", error.Message);
    }

    [Fact]
    public void An_unknown_option_in_a_binding_update_is_skipped_as_rfc_6275_says()
    {
        Assert.True(MobilityHeaderCodec.TryDecode(Build(5, PbuFields, Hex("63020000")), out var message, out string? error), error);
        Assert.IsType<ProxyBindingUpdate>(message);
    }

    [Fact]
    public void An_unknown_option_is_rejected_when_the_options_ask_for_strictness() =>
        Rejected(Build(5, PbuFields, Hex("63020000")), MobilityHeaderErrorCode.UnknownMandatoryOption,
            new MobilityHeaderCodecOptions { RejectUnknownOptions = true });

    [Fact]
    public void A_well_formed_fhrq_built_by_hand_decodes()
    {
        var packet = Build(200, FhrqFields, Hex(MnId + Source + Destination + Ports + QosBoth));
        Assert.True(MobilityHeaderCodec.TryDecode(packet, out var message, out string? error), error);
        Assert.Single(Assert.IsType<FlowHandoverRequest>(message).Flows);
    }

    [Fact]
    public void A_flow_tuple_padded_more_than_our_encoder_pads_decodes_to_the_same_flow()
    {
        // Eight more octets of PadN before the source: still 8n+4, but not the layout our encoder writes.
        var compact = Build(200, FhrqFields, Hex(MnId + Source + Destination + Ports + QosBoth));
        var padded = Build(200, FhrqFields, Hex(MnId + "0106000000000000" + Source + Destination + Ports + QosBoth));

        Assert.True(MobilityHeaderCodec.TryDecode(compact, out var expected, out string? error), error);
        Assert.True(MobilityHeaderCodec.TryDecode(padded, out var decoded, out error), error);
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void A_flow_prefix_length_over_128_is_a_bad_value_at_its_offset()
    {
        var source = "16120081" + "20010DB8000000000000000000000001";
        var error = Rejected(Build(200, FhrqFields, Hex(MnId + source + Destination + Ports + QosBoth)), MobilityHeaderErrorCode.BadOptionValue);
        Assert.Equal(20, error.Offset);
    }

    [Fact]
    public void An_unknown_option_inside_a_flow_tuple_is_an_unknown_mandatory_option()
    {
        var packet = Build(200, FhrqFields, Hex(MnId + Source + Destination + "77060000000001BB" + QosBoth));
        var error = Rejected(packet, MobilityHeaderErrorCode.UnknownMandatoryOption);
        Assert.Equal("unknown option type 119 at offset 64 where only known options may appear", error.Message);
    }

    [Fact]
    public void An_fhrq_without_the_mobile_node_identifier_misses_a_mandatory_option() =>
        Rejected(Build(200, FhrqFields, Hex("01020000" + "16120080" + "20010DB8000000000000000000000001" + "01020000")),
            MobilityHeaderErrorCode.MissingMandatoryOption);

    [Fact]
    public void An_fhrq_without_any_flow_tuple_misses_a_mandatory_option() =>
        Rejected(Build(200, FhrqFields, Hex("0804016D6E31" + "0100" + "01020000")), MobilityHeaderErrorCode.MissingMandatoryOption);

    [Fact]
    public void A_flow_tuple_cut_short_misses_a_mandatory_option() =>
        Rejected(Build(200, FhrqFields, Hex(MnId + Source + Destination + Ports + "CB020000" + "01020000")),
            MobilityHeaderErrorCode.MissingMandatoryOption);

    [Fact]
    public void Ports_before_the_destination_address_are_out_of_order()
    {
        var packet = Build(200, FhrqFields, Hex(MnId + Source + "01020000" + Ports + "CB020000CB02B800" + "01020000"));
        var error = Rejected(packet, MobilityHeaderErrorCode.OptionOutOfOrder);
        Assert.Equal(202, error.Value);
        Assert.Equal(22, error.Limit);
    }

    [Fact]
    public void A_misaligned_port_option_in_a_flow_tuple_is_rejected() =>
        Rejected(Build(200, FhrqFields, Hex(MnId + Source + Destination + "00" + "CA060000000001BB" + QosBoth + "01050000000000")),
            MobilityHeaderErrorCode.MisalignedOption);

    [Fact]
    public void An_fhrp_reporting_failure_may_omit_the_mobile_node_identifier_and_flows()
    {
        var packet = Build(200, Hex("0007 8001 0000"), Hex("01020000"));
        Assert.True(MobilityHeaderCodec.TryDecode(packet, out var message, out string? error), error);
        Assert.Equal(FlowHandoverStatus.Failure, Assert.IsType<FlowHandoverReply>(message).Status);
    }

    [Fact]
    public void An_ipv6_mobile_node_identifier_of_the_wrong_length_is_rejected() =>
        Rejected(Build(5, PbuFields, Hex("08050201020304" + "00" + "01020000")), MobilityHeaderErrorCode.BadOptionLength);

    [Fact]
    public void The_string_variant_gives_the_same_sentence_as_the_typed_error()
    {
        var packet = Hex("3B000500000000");
        Assert.False(MobilityHeaderCodec.TryDecode(packet, out var message, out string? error));
        Assert.Null(message);
        Assert.Equal("packet is 7 bytes; a Mobility Header needs at least 8", error);
    }

    private static MobilityHeaderError Rejected(byte[] packet, MobilityHeaderErrorCode expected, MobilityHeaderCodecOptions? options = null)
    {
        var ok = MobilityHeaderCodec.TryDecode(packet, options ?? MobilityHeaderCodecOptions.Default, out var message, out var error);
        Assert.False(ok, $"decoded {message} instead of failing with {expected}");
        Assert.Null(message);
        Assert.Equal(expected, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }
}
