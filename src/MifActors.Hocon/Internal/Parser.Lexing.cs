using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace MifActors.Hocon.Internal;

internal sealed partial class Parser
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private char PeekAt(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    /// <summary>HOCON whitespace other than the newline, which separates fields and elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsInlineWhitespace(char c) =>
        c is ' ' or '\t' or '\r' or '\uFEFF' || (c > 127 && c != '\n' && char.IsWhiteSpace(c));

    /// <summary>Characters an unquoted string may not contain (HOCON.md, "Unquoted strings").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsForbidden(char c) =>
        c is '$' or '"' or '{' or '}' or '[' or ']' or ':' or '=' or ',' or '+' or '#' or '`' or '^' or '?'
            or '!' or '@' or '*' or '&' or '\\';

    /// <summary>
    /// ASCII characters where an unquoted run may end: forbidden ones, whitespace, and '/' (which
    /// ends it only as "//"). A table beats a vectorised search here: most values are a few characters.
    /// </summary>
    private static readonly bool[] UnquotedStops = CreateUnquotedStops();

    private static bool[] CreateUnquotedStops()
    {
        var table = new bool[128];
        foreach (var c in "$\"{}[]:=,+#`^?!@*&\\ \t\r\n/") table[c] = true;
        return table;
    }

    private void SkipInline()
    {
        while (_pos < _text.Length && IsInlineWhitespace(_text[_pos])) _pos++;
    }

    /// <summary>Skips whitespace, newlines and comments; tells whether a newline was among them.</summary>
    private bool SkipAll()
    {
        var sawNewline = false;
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '\n')
            {
                sawNewline = true;
                _pos++;
            }
            else if (IsInlineWhitespace(c))
            {
                _pos++;
            }
            else if (c == '#' || (c == '/' && PeekAt(1) == '/'))
            {
                var nl = text.AsSpan(_pos).IndexOf('\n');
                _pos = nl < 0 ? text.Length : _pos + nl;
            }
            else
            {
                break;
            }
        }

        return sawNewline;
    }

    private bool AtValueEnd() => _pos >= _text.Length || _text[_pos] is '}' or ']' or ',';


    private string Describe(int offset)
    {
        if (offset >= _text.Length) return "the end of the file";
        var c = _text[offset];
        return c switch
        {
            '\n' => "a newline",
            '"' => "a quoted string",
            _ when char.IsControl(c) => $"character U+{(int)c:X4}",
            _ => $"'{c}'",
        };
    }

    /// <summary>
    /// A path expression: unquoted and quoted pieces, split on unquoted dots
    /// (<c>a.b."c.d"</c> is three keys). Whitespace between pieces belongs to the key.
    /// </summary>
    private string[] ParseKey()
    {
        var start = _pos;

        // The common key is plain: letters, digits, '-', '_' and dots, followed by a separator.
        var end = start;
        var dots = 0;
        while (end < _text.Length)
        {
            var c = _text[end];
            if (c == '.') dots++;
            else if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')) break;
            end++;
        }

        if (end > start && end < _text.Length && IsSimpleKeyEnd(end) && _text[start] != '.' && _text[end - 1] != '.'
            && _text.AsSpan(start, end - start).IndexOf("..") < 0)
        {
            _pos = end;
            return CachedKey(start, end, dots);
        }

        return ParseKeySlow();
    }

    /// <summary>
    /// Keys repeat (every node block has a "name"), so the arrays for plain keys are shared: the
    /// parser never changes a key array once made.
    /// </summary>
    private string[] CachedKey(int start, int end, int dots)
    {
        var span = _text.AsSpan(start, end - start);
        if (_keyLookup.TryGetValue(span, out var cached)) return cached;
        var text = span.ToString();
        string[] key = dots == 0 ? [text] : text.Split('.');
        if (_keyCache.Count < MaxCachedKeys) _keyCache[text] = key;
        return key;
    }

    private bool IsSimpleKeyEnd(int at)
    {
        var c = _text[at];
        if (c is '=' or ':' or '{' or '}' or '\n' or ',') return true;
        if (c == '+' ) return true;
        if (!IsInlineWhitespace(c)) return false;

        // Whitespace then a separator (not another key piece, which would join the key).
        while (at < _text.Length && IsInlineWhitespace(_text[at])) at++;
        return at >= _text.Length || _text[at] is '=' or ':' or '{' or '}' or '\n' or '+' or '#' or ','
            || (_text[at] == '/' && at + 1 < _text.Length && _text[at + 1] == '/');
    }

    private string[] ParseKeySlow()
    {
        var start = _pos;
        var segments = new List<string>();
        var current = new StringBuilder();
        var segmentHasContent = false;
        var any = false;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                if (PeekAt(1) == '"' && PeekAt(2) == '"')
                {
                    throw Error(_pos, "a key cannot be a triple-quoted string; use \"...\" for keys");
                }

                current.Append(ReadQuotedContent());
                segmentHasContent = true;
                any = true;
            }
            else if (IsInlineWhitespace(c))
            {
                var ws = _pos;
                SkipInline();
                if (_pos < _text.Length && any && IsKeyPieceStart(_text[_pos]))
                {
                    current.Append(_text, ws, _pos - ws);
                }
                else
                {
                    break;
                }
            }
            else if (c == '.')
            {
                if (!segmentHasContent) throw EmptyPathElement(start);
                segments.Add(current.ToString());
                current.Clear();
                segmentHasContent = false;
                _pos++;
            }
            else if (IsKeyPieceStart(c))
            {
                current.Append(c);
                segmentHasContent = true;
                any = true;
                _pos++;
            }
            else
            {
                break;
            }
        }

        if (!any)
        {
            throw Error(_pos, _pos >= _text.Length
                ? "expected a key, found the end of the file"
                : $"expected a key, found {Describe(_pos)}; put keys with special characters in double quotes");
        }

        if (!segmentHasContent) throw EmptyPathElement(start);
        segments.Add(current.ToString());
        return [.. segments];
    }

    private bool IsKeyPieceStart(char c) =>
        c == '"' || (!IsForbidden(c) && c != '\n' && !IsInlineWhitespace(c) && !(c == '/' && PeekAt(1) == '/'));

    private HoconException EmptyPathElement(int start)
    {
        var nl = _text.AsSpan(start).IndexOfAny('\n', '=', ':');
        var written = nl < 0 ? _text[start..] : _text.Substring(start, nl);
        return Error(start, $"path '{written.Trim()}' has an empty element (two dots in a row, or a leading or trailing dot); " +
                            "put a key containing dots in double quotes");
    }

    private HScalar ParseQuoted()
    {
        var start = _pos;
        if (PeekAt(1) == '"' && PeekAt(2) == '"') return ParseTripleQuoted();
        var stop = _text.AsSpan(start + 1).IndexOfAny('"', '\\', '\n');
        if (stop >= 0 && _text[start + 1 + stop] == '"')
        {
            // No escapes: the content is a slice of the document.
            _pos = start + stop + 2;
            return HScalar.Slice(_source, start + 1, stop, ScalarKind.String);
        }

        return new HScalar(_source, start, ScalarKind.String, ReadQuotedContent());
    }

    /// <summary>A JSON string; returns its content with escapes decoded.</summary>
    private string ReadQuotedContent()
    {
        var start = _pos;
        _pos++; // opening quote
        var span = _text.AsSpan(_pos);
        var stop = span.IndexOfAny('"', '\\', '\n');
        if (stop >= 0 && span[stop] == '"')
        {
            // No escapes: one substring.
            var s = _text.Substring(_pos, stop);
            _pos += stop + 1;
            return s;
        }

        var sb = new StringBuilder();
        while (true)
        {
            span = _text.AsSpan(_pos);
            stop = span.IndexOfAny('"', '\\', '\n');
            if (stop < 0 || span[stop] == '\n')
            {
                throw Error(start, "unterminated quoted string: add the closing '\"' on the same line " +
                                   "(use \"\"\"...\"\"\" for text spanning lines)");
            }

            sb.Append(span[..stop]);
            _pos += stop;
            if (span[stop] == '"')
            {
                _pos++;
                return sb.ToString();
            }

            ReadEscape(sb);
        }
    }

    private void ReadEscape(StringBuilder sb)
    {
        var at = _pos;
        var e = PeekAt(1);
        _pos += 2;
        switch (e)
        {
            case '"': sb.Append('"'); break;
            case '\\': sb.Append('\\'); break;
            case '/': sb.Append('/'); break;
            case 'b': sb.Append('\b'); break;
            case 'f': sb.Append('\f'); break;
            case 'n': sb.Append('\n'); break;
            case 'r': sb.Append('\r'); break;
            case 't': sb.Append('\t'); break;
            case 'u':
                if (_pos + 4 > _text.Length
                    || !ushort.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    throw Error(at, "bad escape '\\u': it needs four hex digits, as in \\u00e9");
                }

                sb.Append((char)code);
                _pos += 4;
                break;
            default:
                var shown = e == '\0' && at + 1 >= _text.Length ? "at the end of the file" : $"'\\{e}'";
                throw Error(at, $"bad escape {shown} in a quoted string: the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX " +
                                "(write \\\\ for a backslash)");
        }
    }

    /// <summary><c>"""raw text"""</c>: no escapes; quotes just before the closing three belong to the text.</summary>
    private HScalar ParseTripleQuoted()
    {
        var start = _pos;
        var contentStart = start + 3;
        var idx = _text.AsSpan(contentStart).IndexOf("\"\"\"");
        if (idx < 0) throw Error(start, "unterminated triple-quoted string: add the closing \"\"\"");
        var runEnd = contentStart + idx;
        while (runEnd < _text.Length && _text[runEnd] == '"') runEnd++;

        // The last three quotes of the run close the string.
        var contentEnd = runEnd - 3;
        _pos = runEnd;
        return HScalar.Slice(_source, contentStart, contentEnd - contentStart, ScalarKind.String);
    }

    /// <summary>An unquoted run: a number, true, false or null when it is exactly one, else a string.</summary>
    private HScalar ParseUnquoted()
    {
        var start = _pos;
        var (kind, length) = ScanUnquoted(start);
        if (length == 0)
        {
            throw Error(start, $"'{_text[start]}' is not allowed in an unquoted value; put the value in double quotes");
        }

        _pos = start + length;
        return HScalar.Slice(_source, start, length, kind);
    }

    /// <summary>Measures the unquoted run at <paramref name="start"/> and tells what it is, without moving.</summary>
    private (ScalarKind Kind, int Length) ScanUnquoted(int start)
    {
        var text = _text;
        var numberEnd = MatchNumber(start);
        var p = numberEnd;
        var stops = UnquotedStops;
        while (p < text.Length)
        {
            var c = text[p];
            if (c < 128)
            {
                if (stops[c] && (c != '/' || (p + 1 < text.Length && text[p + 1] == '/'))) break;
            }
            else if (IsInlineWhitespace(c))
            {
                break;
            }

            p++;
        }

        var s = text.AsSpan(start, p - start);
        var kind = numberEnd == p ? ScalarKind.Number
            : s is "true" or "false" ? ScalarKind.Boolean
            : s is "null" ? ScalarKind.Null
            : ScalarKind.String;
        return (kind, p - start);
    }

    /// <summary>
    /// The common field value: one unquoted run, or a quoted string without escapes, and nothing
    /// after it on the line. Found without allocating; anything else is left to ParseValue.
    /// </summary>
    private bool TryScanPlainScalar(out ScalarKind kind, out int offset, out int length)
    {
        var start = _pos;
        var c = _text[start];
        int end;
        if (c == '"')
        {
            kind = ScalarKind.String;
            offset = start + 1;
            if (PeekAt(1) == '"' || (length = _text.AsSpan(offset).IndexOfAny('"', '\\', '\n')) < 0 || _text[offset + length] != '"')
            {
                length = 0;
                return false;
            }

            end = offset + length + 1;
        }
        else
        {
            offset = start;
            if (c == '$' || c == '{' || c == '[')
            {
                kind = default;
                length = 0;
                return false;
            }

            (kind, length) = ScanUnquoted(start);
            if (length == 0) return false;
            end = start + length;

            // More unquoted runs on the line make one string, whitespace and all (512 MiB, hello world).
            while (true)
            {
                var next = end;
                while (next < _text.Length && IsInlineWhitespace(_text[next])) next++;
                if (next == end || next >= _text.Length) break;
                var n = _text[next];
                if (n is '\n' or '"' || IsForbidden(n) || (n == '/' && next + 1 < _text.Length && _text[next + 1] == '/')) break;
                var (_, more) = ScanUnquoted(next);
                if (more == 0) break;
                end = next + more;
                kind = ScalarKind.String;
            }

            length = end - start;
        }

        var after = end;
        while (after < _text.Length && IsInlineWhitespace(_text[after])) after++;
        if (after < _text.Length)
        {
            var next = _text[after];
            if (!(next is '\n' or ',' or '}' or ']' or '#' || (next == '/' && after + 1 < _text.Length && _text[after + 1] == '/')))
            {
                return false;
            }
        }

        _pos = after;
        return true;
    }

    /// <summary>The end of a JSON number starting at <paramref name="at"/>, or <paramref name="at"/> if there is none.</summary>
    private int MatchNumber(int at)
    {
        var text = _text;
        var p = at;
        if (p < text.Length && text[p] == '-') p++;
        if (p >= text.Length || !char.IsAsciiDigit(text[p])) return at;
        if (text[p] == '0') p++;
        else while (p < text.Length && char.IsAsciiDigit(text[p])) p++;
        if (p + 1 < text.Length && text[p] == '.' && char.IsAsciiDigit(text[p + 1]))
        {
            p += 2;
            while (p < text.Length && char.IsAsciiDigit(text[p])) p++;
        }

        if (p < text.Length && text[p] is 'e' or 'E')
        {
            var q = p + 1;
            if (q < text.Length && text[q] is '+' or '-') q++;
            if (q < text.Length && char.IsAsciiDigit(text[q]))
            {
                while (q < text.Length && char.IsAsciiDigit(text[q])) q++;
                p = q;
            }
        }

        return p;
    }
}
