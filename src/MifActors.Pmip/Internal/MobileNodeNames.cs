using System.Globalization;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Internal;

/// <summary>Actor names and persistence ids for MN actors, and the way back from an id to the MN-ID.</summary>
internal static class MobileNodeNames
{
    public static string ActorName(MobileNodeIdentifier mobileNode) => "mn-" + Uri.EscapeDataString(mobileNode.Text);

    public static string PersistenceId(string node, MobileNodeIdentifier mobileNode) =>
        $"{node}/mn/{(byte)mobileNode.Subtype}:{Convert.ToHexString(mobileNode.Identifier.Span)}";

    public static string PersistencePrefix(string node) => $"{node}/mn/";

    public static MobileNodeIdentifier? FromPersistenceId(string node, string persistenceId)
    {
        var rest = persistenceId.AsSpan(PersistencePrefix(node).Length);
        var colon = rest.IndexOf(':');
        if (colon < 0 || !byte.TryParse(rest[..colon], NumberStyles.Integer, CultureInfo.InvariantCulture, out var subtype)) return null;
        try
        {
            return new MobileNodeIdentifier((MobileNodeIdentifierSubtype)subtype, Convert.FromHexString(rest[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
