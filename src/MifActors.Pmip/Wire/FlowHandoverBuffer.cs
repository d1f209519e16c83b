namespace MifActors.Pmip.Wire;

/// <summary>
/// A reusable, mutable decode target for FHRQ and FHRP. Decoding into it with
/// <see cref="MobilityHeaderCodec.TryDecode(ReadOnlySpan{byte}, FlowHandoverBuffer, out MobilityHeaderError)"/>
/// allocates nothing once its flow array has grown to the largest message seen: the hot path of an LMA or MAG that
/// reads a packet, acts on it and drops it. <see cref="ToMessage"/> makes the immutable record when one must be kept.
/// Not thread-safe: one buffer per receiving loop.
/// </summary>
public sealed class FlowHandoverBuffer
{
    private readonly byte[] _mobileNodeIdentifier = new byte[255];
    private FlowTuple[] _flows = new FlowTuple[4];
    private readonly byte[] _authenticator = new byte[MobilityAuthentication.AuthenticatorLength];
    private int _mobileNodeIdentifierLength = -1;

    /// <summary>R flag: false for an FHRQ, true for an FHRP.</summary>
    public bool IsReply { get; internal set; }

    public ushort SequenceNumber { get; internal set; }

    /// <summary>C flag (FHRQ only).</summary>
    public bool Cease { get; internal set; }

    /// <summary>U flag (FHRP only).</summary>
    public bool Unsolicited { get; internal set; }

    /// <summary>Status (FHRP only).</summary>
    public FlowHandoverStatus Status { get; internal set; }

    /// <summary>Lifetime in seconds.</summary>
    public ushort Lifetime { get; internal set; }

    public bool HasMobileNodeIdentifier => _mobileNodeIdentifierLength >= 0;

    public MobileNodeIdentifierSubtype MobileNodeIdentifierSubtype { get; internal set; }

    /// <summary>The MN-ID octets; valid until the next decode into this buffer.</summary>
    public ReadOnlySpan<byte> MobileNodeIdentifier =>
        HasMobileNodeIdentifier ? _mobileNodeIdentifier.AsSpan(0, _mobileNodeIdentifierLength) : default;

    public int FlowCount { get; private set; }

    /// <summary>The flow tuples; valid until the next decode into this buffer.</summary>
    public ReadOnlySpan<FlowTuple> Flows => _flows.AsSpan(0, FlowCount);

    public bool HasAuthentication { get; internal set; }

    public uint SecurityParameterIndex { get; internal set; }

    internal void Reset()
    {
        IsReply = false;
        SequenceNumber = 0;
        Cease = false;
        Unsolicited = false;
        Status = FlowHandoverStatus.Success;
        Lifetime = 0;
        _mobileNodeIdentifierLength = -1;
        FlowCount = 0;
        HasAuthentication = false;
        SecurityParameterIndex = 0;
    }

    internal void SetMobileNodeIdentifier(MobileNodeIdentifierSubtype subtype, ReadOnlySpan<byte> identifier)
    {
        MobileNodeIdentifierSubtype = subtype;
        identifier.CopyTo(_mobileNodeIdentifier);
        _mobileNodeIdentifierLength = identifier.Length;
    }

    internal void AddFlow(in FlowTuple flow)
    {
        if (FlowCount == _flows.Length) Array.Resize(ref _flows, _flows.Length * 2);
        _flows[FlowCount++] = flow;
    }

    internal void SetAuthentication(uint spi, ReadOnlySpan<byte> authenticator)
    {
        HasAuthentication = true;
        SecurityParameterIndex = spi;
        authenticator.CopyTo(_authenticator);
    }

    /// <summary>The immutable record for what was decoded last.</summary>
    public MobilityMessage ToMessage()
    {
        var mnId = HasMobileNodeIdentifier
            ? new MobileNodeIdentifier(MobileNodeIdentifierSubtype, MobileNodeIdentifier.ToArray())
            : null;
        var flows = new ValueList<FlowTuple>(Flows.ToArray());
        var authentication = HasAuthentication ? new MobilityAuthentication(SecurityParameterIndex, _authenticator.ToArray()) : null;
        if (IsReply)
            return new FlowHandoverReply(SequenceNumber, Unsolicited, Status, Lifetime, mnId, flows) { Authentication = authentication };
        return new FlowHandoverRequest(SequenceNumber, Cease, Lifetime, mnId!, flows) { Authentication = authentication };
    }
}
