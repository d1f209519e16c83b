namespace MifActors.Hocon;

/// <summary>
/// A HOCON document could not be read. The message starts with <c>file:line:column:</c> and says
/// what to change, e.g. <c>hocon/lma.conf:14:9: expected '=' or ':' after key "lifetime"</c>.
/// </summary>
public sealed class HoconException : Exception
{
    public HoconException(string reason, string? file, int line, int column)
        : base(Format(reason, file, line, column))
    {
        Reason = reason;
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The file as the user named it (or a label such as <c>(string)</c>); null when unknown.</summary>
    public string? File { get; }

    /// <summary>1-based line; 0 when the error is about the file as a whole.</summary>
    public int Line { get; }

    /// <summary>1-based column; 0 when the error is about the file as a whole.</summary>
    public int Column { get; }

    /// <summary>The sentence without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(string reason, string? file, int line, int column)
    {
        var where = file ?? "(string)";
        return line > 0 ? $"{where}:{line}:{column}: {reason}" : $"{where}: {reason}";
    }
}
