namespace MifActors.Pmip.Wire;

/// <summary>
/// A message carried in an IPv6 Mobility Header (RFC 6275 §6.1). Encode and decode with <see cref="MobilityHeaderCodec"/>.
/// </summary>
public abstract record MobilityMessage
{
    private protected MobilityMessage()
    {
    }

    /// <summary>
    /// The mobility message authentication option (RFC 4285 §5), always the last option. When encoding, set it to
    /// <see cref="MobilityAuthentication.Unsigned"/> and sign with <see cref="MobilityMessageAuthentication"/>.
    /// </summary>
    public MobilityAuthentication? Authentication { get; init; }
}
