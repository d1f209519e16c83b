namespace MifActors.Mif;

/// <summary>A key under mifactors.mif has a value the host side cannot use; the message names the key.</summary>
public sealed class MifConfigurationException(string message) : Exception(message);
