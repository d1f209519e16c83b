namespace MifActors.Mif.Api.Json;

/// <summary>Why a line is not a MIF API message.</summary>
/// <param name="Type">The line's <c>type</c>, when it had one that could be read.</param>
/// <param name="Message">What is wrong and what was expected, as a sentence.</param>
public sealed record MifJsonError(string? Type, string Message);
