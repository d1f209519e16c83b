namespace MifActors.Node.Configuration;

/// <summary>
/// A node's configuration cannot be used. The message is one line that names the file (with line and
/// column where known) or the key, and says what was expected; the node prints it and exits.
/// </summary>
public sealed class NodeConfigurationException(string message) : Exception(message);
