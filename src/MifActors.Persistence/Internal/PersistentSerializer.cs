using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MifActors.Persistence.Internal;

/// <summary>System.Text.Json under the manifest names declared with <see cref="PersistentManifestAttribute"/>.</summary>
internal static class PersistentSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private static readonly ConcurrentDictionary<Type, string> Manifests = new();
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    // The contract of each type, resolved once: the per-call lookup by Type showed up in recovery profiles.
    private static readonly ConcurrentDictionary<Type, JsonTypeInfo> TypeInfos = new();
    private static readonly ConcurrentDictionary<string, JsonTypeInfo> ManifestTypeInfos = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> Scanned = [];
    private static readonly Lock ScanGate = new();

    public static string ManifestOf(Type type) => Manifests.GetOrAdd(type, static t =>
    {
        var manifest = t.GetCustomAttribute<PersistentManifestAttribute>()?.Manifest ?? throw new InvalidOperationException(
            $"{t.FullName} cannot be persisted: it has no [PersistentManifest(\"...\")] attribute. Declare a stable name on the type, " +
            "for example [PersistentManifest(\"pmip.ffe-created.v1\")], so that stored data survives renames of the type");
        Register(manifest, t);
        return manifest;
    });

    public static (string Manifest, byte[] Payload) Serialize(object value)
    {
        var type = value.GetType();
        var manifest = ManifestOf(type);
        var info = TypeInfos.GetOrAdd(type, static t => Options.GetTypeInfo(t));
        return (manifest, JsonSerializer.SerializeToUtf8Bytes(value, info));
    }

    /// <summary>Reads a stored event; the persistence id and sequence number name the row in the error.</summary>
    public static object Deserialize(string manifest, ReadOnlySpan<byte> payload, string persistenceId, long sequenceNr) =>
        Deserialize(manifest, payload, new StoredRow(persistenceId, sequenceNr, Snapshot: false));

    /// <summary>Reads a stored snapshot; the persistence id and sequence number name the row in the error.</summary>
    public static object DeserializeSnapshot(string manifest, ReadOnlySpan<byte> payload, string persistenceId, long sequenceNr) =>
        Deserialize(manifest, payload, new StoredRow(persistenceId, sequenceNr, Snapshot: true));

    private static object Deserialize(string manifest, ReadOnlySpan<byte> payload, StoredRow row)
    {
        if (!ManifestTypeInfos.TryGetValue(manifest, out var info))
        {
            if (!TryResolve(manifest, out var type))
            {
                throw new PersistentDeserializationException(
                    $"Cannot recover {row}: unknown manifest \"{manifest}\"; no loaded type declares [PersistentManifest(\"{manifest}\")]");
            }

            info = ManifestTypeInfos.GetOrAdd(manifest, TypeInfos.GetOrAdd(type, static t => Options.GetTypeInfo(t)));
        }

        try
        {
            return JsonSerializer.Deserialize(payload, info)
                ?? throw new JsonException("the payload is JSON null");
        }
        catch (JsonException e)
        {
            throw new PersistentDeserializationException(
                $"Cannot recover {row}: the payload of manifest \"{manifest}\" is not a valid {info.Type.Name}: {e.Message}", e);
        }
    }

    private static bool TryResolve(string manifest, out Type type)
    {
        if (Types.TryGetValue(manifest, out type!)) return true;
        lock (ScanGate)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic || !Scanned.Add(assembly)) continue;
                var name = assembly.GetName().Name ?? "";
                if (name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft", StringComparison.Ordinal)) continue;
                foreach (var candidate in LoadableTypes(assembly))
                {
                    if (candidate.GetCustomAttribute<PersistentManifestAttribute>(inherit: false) is { } attribute)
                    {
                        Register(attribute.Manifest, candidate);
                    }
                }
            }
        }

        return Types.TryGetValue(manifest, out type!);
    }

    private static void Register(string manifest, Type type)
    {
        var existing = Types.GetOrAdd(manifest, type);
        if (existing != type)
        {
            throw new InvalidOperationException(
                $"The persistent manifest \"{manifest}\" is declared by both {existing.FullName} and {type.FullName}; manifest names must be unique");
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}

/// <summary>Names a stored row in an error message; formatted only when there is an error.</summary>
internal readonly record struct StoredRow(string PersistenceId, long SequenceNr, bool Snapshot)
{
    public override string ToString() => Snapshot
        ? $"the snapshot of persistence id \"{PersistenceId}\" at sequence number {SequenceNr}"
        : $"persistence id \"{PersistenceId}\", sequence number {SequenceNr}";
}
