namespace MifActors.Node.Configuration.Internal;

/// <summary>Where a HOCON text is structurally broken, and why, as a sentence.</summary>
internal readonly record struct HoconProblem(int Line, int Column, string Message);

/// <summary>
/// A structural check run over every HOCON file before Akka's parser sees it.
/// </summary>
/// <remarks>
/// Akka 1.5.75's parser (measured here) overflows its stack on an unclosed <c>[</c> and the process
/// dies, silently ends an object at an unclosed <c>{</c> or a stray <c>}</c>, lets a quote run on
/// past the end of its line, accepts <c>b = = 3</c> as an empty value, and mis-parses
/// <c>${?ENV}</c> by swallowing the rest of the object. None of these reach the user as an error,
/// so this pass finds them first and names the line and column. It is deliberately not a second
/// parser: it produces no values and knows only brackets, quotes, comments and separators; Akka
/// parses the file once it passes.
/// </remarks>
internal static class HoconStructureCheck
{
    public static HoconProblem? Check(string text)
    {
        var open = new Stack<(char Bracket, int Line, int Column)>();
        int line = 1, column = 1;
        // Set after '=' or ':' outside strings, until the value's first character shows up.
        (int Line, int Column)? separator = null;
        var i = 0;

        while (i < text.Length)
        {
            var c = text[i];

            if (c == '\n')
            {
                Advance(1);
                continue;
            }
            if (c is ' ' or '\t' or '\r')
            {
                Advance(1);
                continue;
            }
            if (c == '#' || (c == '/' && At(i + 1) == '/'))
            {
                while (i < text.Length && text[i] != '\n')
                    Advance(1);
                continue;
            }

            if (separator is { } sep && c == '=')
                return new HoconProblem(line, column,
                    $"'=' follows the separator at {sep.Line}:{sep.Column} with no value between them");
            separator = null;

            switch (c)
            {
                case '"' when At(i + 1) == '"' && At(i + 2) == '"':
                {
                    var (startLine, startColumn) = (line, column);
                    var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0)
                        return new HoconProblem(startLine, startColumn, "'\"\"\"' opened here is never closed");
                    // A triple-quoted string may end in more than three quotes; they all belong to it.
                    end += 3;
                    while (At(end) == '"')
                        end++;
                    Advance(end - i);
                    continue;
                }
                case '"':
                {
                    var (startLine, startColumn) = (line, column);
                    Advance(1);
                    while (true)
                    {
                        if (i >= text.Length || text[i] == '\n')
                            return new HoconProblem(startLine, startColumn,
                                "'\"' opened here is not closed on its line (a quoted string cannot span lines; use \"\"\" for that)");
                        if (text[i] == '\\')
                        {
                            Advance(At(i + 1) == '\n' ? 1 : 2);
                            continue;
                        }
                        if (text[i] == '"')
                        {
                            Advance(1);
                            break;
                        }
                        Advance(1);
                    }
                    continue;
                }
                case '$' when At(i + 1) == '{' && At(i + 2) == '?':
                    return new HoconProblem(line, column,
                        "'${?' (an optional substitution) is not supported by Akka's HOCON parser, which drops the rest of the object; " +
                        "set the key from the environment instead (MIFACTORS__PATH__TO__KEY=value, see docs/node.md)");
                case '{' or '[':
                    open.Push((c, line, column));
                    break;
                case '}' or ']':
                {
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0)
                        return new HoconProblem(line, column, $"'{c}' has no '{expected}' to close");
                    var top = open.Pop();
                    if (top.Bracket != expected)
                        return new HoconProblem(line, column,
                            $"'{c}' closes the '{top.Bracket}' opened at {top.Line}:{top.Column}; expected '{Closer(top.Bracket)}' first");
                    break;
                }
                case '=' or ':':
                    separator = (line, column);
                    break;
            }
            Advance(1);
        }

        if (open.Count > 0)
        {
            // Report the innermost unclosed bracket: it is the one the reader has to look at first.
            var (bracket, openLine, openColumn) = open.Peek();
            return new HoconProblem(openLine, openColumn, $"'{bracket}' opened here is never closed");
        }
        return null;

        char At(int index) => index < text.Length ? text[index] : '\0';

        void Advance(int count)
        {
            for (var k = 0; k < count && i < text.Length; k++, i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
        }
    }

    private static char Closer(char bracket) => bracket == '{' ? '}' : ']';
}
