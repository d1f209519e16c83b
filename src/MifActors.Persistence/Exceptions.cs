namespace MifActors.Persistence;

/// <summary>A stored event or snapshot could not be read back: unknown manifest or a payload that does not parse.</summary>
public sealed class PersistentDeserializationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A write for a sequence number that is already stored: a second writer for the same persistence id is (or was)
/// running. The writer that hits this is stopped, so the two never interleave events.
/// </summary>
public sealed class SequenceConflictException(string message, Exception? inner = null) : Exception(message, inner);
