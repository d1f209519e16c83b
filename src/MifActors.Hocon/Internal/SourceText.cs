namespace MifActors.Hocon.Internal;

/// <summary>A document's text and the name errors show for it (a path as the user gave it, or a label).</summary>
internal sealed class SourceText(string text, string displayName, string? directory)
{
    public string Text { get; } = text;

    public string DisplayName { get; } = displayName;

    /// <summary>The directory relative includes are read from; null for text without a file.</summary>
    public string? Directory { get; } = directory;

    public (int Line, int Column) LineColumn(int offset)
    {
        // Computed only when an error is reported: the parser keeps offsets, not line numbers.
        offset = Math.Clamp(offset, 0, Text.Length);
        var line = 1;
        var lineStart = 0;
        var span = Text.AsSpan(0, offset);
        int nl;
        while ((nl = span.IndexOf('\n')) >= 0)
        {
            line++;
            lineStart += nl + 1;
            span = span[(nl + 1)..];
        }

        return (line, offset - lineStart + 1);
    }

    public HoconException Error(int offset, string message)
    {
        var (line, column) = LineColumn(offset);
        return new HoconException(message, DisplayName, line, column);
    }
}
