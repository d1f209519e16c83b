namespace MifActors.Persistence;

/// <summary>
/// The stable name under which events and snapshots of this type are stored. Stored rows carry this name, not the
/// CLR type name, so renaming or moving the type does not orphan them. Change the name (".v2") only together with
/// a new type when the shape changes incompatibly.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class PersistentManifestAttribute : Attribute
{
    public PersistentManifestAttribute(string manifest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifest);
        Manifest = manifest;
    }

    public string Manifest { get; }
}
