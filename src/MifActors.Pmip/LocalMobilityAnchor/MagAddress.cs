using System.Net;

namespace MifActors.Pmip.LocalMobilityAnchor;

/// <summary>The address of a MAG: where the LMA tunnels a flow's packets and sends its signalling.</summary>
public readonly record struct MagAddress(IPAddress Address)
{
    /// <summary>No MAG: the LMA has no binding for the flow.</summary>
    public static MagAddress None { get; } = new(IPAddress.None);

    public bool IsNone => Address is null || Address.Equals(IPAddress.None);

    public override string ToString() => IsNone ? "none" : Address.ToString();
}
