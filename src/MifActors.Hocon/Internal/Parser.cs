using System.Runtime.CompilerServices;
using System.Text;

namespace MifActors.Hocon.Internal;

/// <summary>
/// One pass over a HOCON document, straight from the characters (no token list): builds the
/// unresolved value tree, merging duplicate keys as it goes. Nesting is bounded by
/// <see cref="MaxDepth"/> so hostile input cannot exhaust the stack.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>Objects and arrays nested deeper than this are rejected (real configs nest under 20).</summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// The keys from the document's root to the value being parsed. Kept as a stack and turned into
    /// an array only when needed (<c>+=</c> and includes), so nesting costs no allocation.
    /// </summary>
    private readonly List<string> _path = [];

    private readonly SourceText _source;
    private readonly string _text;
    private readonly IncludeContext _includes;

    /// <summary>Where this document sits in the whole configuration: the path of the include that read it.</summary>
    private readonly string[] _prefix;

    private const int MaxCachedKeys = 4096;
    private readonly Dictionary<string, string[]> _keyCache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _keyLookup;

    private int _pos;

    private Parser(SourceText source, IncludeContext includes, string[] prefix)
    {
        _keyLookup = _keyCache.GetAlternateLookup<ReadOnlySpan<char>>();
        _source = source;
        _text = source.Text;
        _includes = includes;
        _prefix = prefix;
    }

    /// <summary>Parses a whole document: an object with or without braces, or an array.</summary>
    public static HValue ParseDocument(SourceText source, IncludeContext includes, string[] prefix, int depth)
    {
        var parser = new Parser(source, includes, prefix);
        return parser.ParseRoot(depth);
    }

    private HValue ParseRoot(int depth)
    {
        if (_text.Length > 0 && _text[0] == '\uFEFF') _pos = 1;
        SkipAll();
        HValue root;
        if (Peek() == '[')
        {
            root = ParseArray(depth + 1);
        }
        else if (Peek() == '{')
        {
            root = ParseObject(depth + 1);
        }
        else
        {
            var obj = new HObject(_source, _pos);
            ParseObjectBody(obj, braces: false, depth + 1, _pos);
            return obj;
        }

        SkipAll();
        if (_pos < _text.Length)
        {
            throw Error(_pos, $"unexpected {Describe(_pos)} after the end of the document; " +
                              "a document is one object or array (check for an extra '}' or ']')");
        }

        return root;
    }

    private HObject ParseObject(int depth)
    {
        var open = _pos;
        CheckDepth(depth, open);
        _pos++; // '{'
        var obj = new HObject(_source, open);
        ParseObjectBody(obj, braces: true, depth, open);
        return obj;
    }

    private void ParseObjectBody(HObject obj, bool braces, int depth, int open)
    {
        while (true)
        {
            SkipAll();
            if (_pos >= _text.Length)
            {
                if (braces) throw Error(open, "this '{' is never closed: add the missing '}'");
                return;
            }

            var c = _text[_pos];
            if (c == '}')
            {
                if (!braces) throw Error(_pos, "unbalanced '}': there is no '{' for it to close");
                _pos++;
                return;
            }

            if (c == ',')
            {
                throw Error(_pos, "unexpected ',': a field was expected (remove the extra comma)");
            }

            if (c == 'i' && IsIncludeKeyword())
            {
                ParseInclude(obj, depth);
            }
            else
            {
                ParseField(obj, depth);
            }

            // A field ends at a newline, a comma, or the closing brace.
            var sawNewline = SkipAll();
            if (_pos >= _text.Length) continue;
            c = _text[_pos];
            if (c == ',')
            {
                _pos++;
            }
            else if (c != '}' && !sawNewline)
            {
                throw Error(_pos, $"expected ',', a newline or '}}' after a field, found {Describe(_pos)}" +
                                  (IsForbidden(c) ? " (put a value containing it in double quotes)" : ""));
            }
        }
    }

    private void ParseField(HObject obj, int depth)
    {
        var keyStart = _pos;
        var key = ParseKey();
        SkipAll();
        var c = Peek();
        var append = false;
        if (c is '=' or ':')
        {
            _pos++;
        }
        else if (c == '+' && PeekAt(1) == '=')
        {
            append = true;
            _pos += 2;
        }
        else if (c != '{')
        {
            throw Error(keyStart, $"expected '=' or ':' after key \"{Abbreviate(JoinPath(key))}\"");
        }

        SkipAll();
        if (AtValueEnd())
        {
            throw Error(_pos, $"key \"{JoinPath(key)}\" has no value: write one after the '=' (or \"\" for an empty string)");
        }

        if (!append && TryScanPlainScalar(out var kind, out var offset, out var length))
        {
            AssignPlainScalar(obj, key, kind, offset, length, keyStart, depth);
            return;
        }

        var mark = _path.Count;
        _path.AddRange(key);
        var value = ParseValue(depth, inArray: false);
        var fieldPath = append ? CurrentPath() : null;
        _path.RemoveRange(mark, _path.Count - mark);
        if (fieldPath is not null)
        {
            // a += b means a = ${?a} [b]: a self-reference, looked up on the full path.
            var self = new HSubstitution(_source, keyStart, fieldPath, null, optional: true, JoinPath(fieldPath));
            var array = new HArray(_source, value.Offset, [value], value.IsResolved);
            value = new HConcatenation(_source, keyStart, [self, array]);
        }

        Assign(obj, key, value, keyStart, depth);
    }

    /// <summary>Writes <paramref name="value"/> at the path <paramref name="key"/> below <paramref name="obj"/>.</summary>
    private void Assign(HObject obj, string[] key, HValue value, int offset, int depth)
    {
        if (depth + key.Length > MaxDepth)
        {
            throw Error(offset, $"key \"{Abbreviate(JoinPath(key))}\" nests more than {MaxDepth} levels deep; flatten the structure");
        }

        // a.b.c = v is a { b { c = v } }. Walk down the objects that already exist; from the first
        // key that holds something else, build the rest inside out and merge it in.
        var i = 0;
        for (; i < key.Length - 1; i++)
        {
            if (!value.IsResolved) obj.MarkUnresolved();
            var slot = obj.IndexOf(key[i]);
            if (slot < 0)
            {
                var created = new HObject(_source, offset);
                obj.Add(key[i], created);
                obj = created;
                continue;
            }

            if (obj.ValueAt(slot) is not HObject existing) break;
            obj = existing;
        }

        for (var j = key.Length - 1; j > i; j--)
        {
            var nested = new HObject(_source, offset);
            nested.Add(key[j], value);
            value = nested;
        }

        Merger.SetField(obj, key[i], value);
    }

    /// <summary>
    /// Like <see cref="Assign"/> for a plain scalar: a new key in an object of this document keeps
    /// the scalar inline; anything else (a duplicate key, an object from an include) takes the general path.
    /// </summary>
    private void AssignPlainScalar(HObject obj, string[] key, ScalarKind kind, int offset, int length, int keyStart, int depth)
    {
        var target = obj;
        var i = 0;
        for (; i < key.Length - 1; i++)
        {
            var slot = target.IndexOf(key[i]);
            if (slot < 0 || target.ValueAt(slot) is not HObject existing) break;
            target = existing;
        }

        if (i == key.Length - 1 && depth + key.Length <= MaxDepth && target.Source == _source
            && length <= HObject.MaxInlineLength && target.IndexOf(key[i]) < 0)
        {
            target.AddInline(key[i], kind, offset, length);
            return;
        }

        Assign(obj, key, HScalar.Slice(_source, offset, length, kind), keyStart, depth);
    }

    private static string Abbreviate(string s) => s.Length <= 60 ? s : s[..57] + "...";

    /// <summary>A value, or several side by side (a concatenation).</summary>
    private HValue ParseValue(int depth, bool inArray)
    {
        HValue? first = null;
        List<HValue>? pieces = null;
        var pendingWhitespace = -1;
        var allScalars = true;
        var anyQuoted = false;
        var firstStart = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            var pieceStart = _pos;
            HValue piece;
            switch (c)
            {
                case '\n':
                case ',':
                case '}':
                case ']':
                case '#':
                    goto done;
                case '/' when PeekAt(1) == '/':
                    goto done;
                case '"':
                    piece = ParseQuoted();
                    anyQuoted = true;
                    break;
                case '{':
                    piece = ParseObject(depth + 1);
                    allScalars = false;
                    break;
                case '[':
                    piece = ParseArray(depth + 1);
                    allScalars = false;
                    break;
                case '$':
                    piece = ParseSubstitution();
                    allScalars = false;
                    break;
                default:
                    if (IsInlineWhitespace(c))
                    {
                        pendingWhitespace = _pos;
                        SkipInline();
                        continue;
                    }

                    // A character that cannot start a piece ends the value; the caller says what is wrong.
                    if (first is not null && IsForbidden(c)) goto done;
                    piece = ParseUnquoted();
                    break;
            }

            if (first is null)
            {
                first = piece;
            }
            else
            {
                if (pieces is null) pieces = [first];
                if (pendingWhitespace >= 0)
                {
                    pieces.Add(HScalar.Slice(_source, pendingWhitespace, pieceStart - pendingWhitespace, ScalarKind.String,
                        isWhitespace: true));
                }

                pieces.Add(piece);
            }

            pendingWhitespace = -1;
        }

        done:
        if (first is null)
        {
            var what = _pos < _text.Length ? Describe(_pos) : "the end of the file";
            throw Error(_pos, inArray
                ? $"expected an array element, found {what}"
                : $"expected a value, found {what}");
        }

        if (pieces is null) return first;
        if (allScalars)
        {
            // Strings, numbers, booleans and whitespace only: the concatenation is known now, and
            // without quoted pieces it is the text as written.
            if (!anyQuoted)
            {
                var end = _pos;
                while (end > firstStart && IsInlineWhitespace(_text[end - 1])) end--;
                return HScalar.Slice(_source, firstStart, end - firstStart, ScalarKind.String);
            }

            var sb = new StringBuilder();
            foreach (var p in pieces) sb.Append(((HScalar)p).Text);
            return new HScalar(_source, first.Offset, ScalarKind.String, sb.ToString());
        }

        return new HConcatenation(_source, first.Offset, pieces);
    }

    private HArray ParseArray(int depth)
    {
        var open = _pos;
        CheckDepth(depth, open);
        _pos++; // '['
        var items = new List<HValue>();
        var resolved = true;
        while (true)
        {
            SkipAll();
            if (_pos >= _text.Length) throw Error(open, "this '[' is never closed: add the missing ']'");
            var c = _text[_pos];
            if (c == ']')
            {
                _pos++;
                return new HArray(_source, open, items, resolved);
            }

            if (c == ',') throw Error(_pos, "unexpected ',' in an array: an element was expected (remove the extra comma)");
            if (c == '}') throw Error(_pos, "unbalanced '}' inside an array: close the array with ']' first");
            var item = ParseValue(depth, inArray: true);
            resolved &= item.IsResolved;
            items.Add(item);
            var sawNewline = SkipAll();
            if (_pos >= _text.Length) continue;
            c = _text[_pos];
            if (c == ',')
            {
                _pos++;
            }
            else if (c == '}')
            {
                throw Error(_pos, "unbalanced '}' inside an array: close the array with ']' first");
            }
            else if (c != ']' && !sawNewline)
            {
                var (line, column) = _source.LineColumn(open);
                throw Error(_pos, $"expected ',', a newline or ']' after an array element, found {Describe(_pos)} " +
                                  $"(is the '[' at {line}:{column} missing its ']'? a value containing {Describe(_pos)} needs double quotes)");
            }
        }
    }

    private HSubstitution ParseSubstitution()
    {
        var start = _pos;
        if (PeekAt(1) != '{')
        {
            throw Error(start, "'$' must start a substitution such as ${a.b}; put the value in double quotes to use a literal '$'");
        }

        _pos += 2;
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            _pos++;
        }

        SkipInline();
        var exprStart = _pos;
        if (Peek() == '}') throw Error(start, "empty substitution '${}': name the path to substitute, e.g. ${a.b}");
        var path = ParseKey();
        var expression = _text[exprStart.._pos].Trim();
        SkipInline();
        if (Peek() != '}')
        {
            if (_pos >= _text.Length || Peek() == '\n')
            {
                throw Error(start, "this substitution is never closed: add the missing '}'");
            }

            throw Error(_pos, $"unexpected {Describe(_pos)} in substitution ${{{expression}}}: only a path is allowed inside ${{...}}");
        }

        _pos++;
        var fullPath = _prefix.Length == 0 ? path : Combine(_prefix, path);
        return new HSubstitution(_source, start, fullPath, _prefix.Length == 0 ? null : path, optional, expression);
    }

    private void CheckDepth(int depth, int offset)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error(offset, $"objects and arrays are nested more than {MaxDepth} levels deep here; flatten the structure");
        }
    }

    /// <summary>The full path of the value being parsed, include prefix first.</summary>
    private string[] CurrentPath() => Combine(_prefix, [.. _path]);

    internal static string[] Combine(string[] a, string[] b)
    {
        if (a.Length == 0) return b;
        if (b.Length == 0) return a;
        var r = new string[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    internal static string JoinPath(string[] path)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (i > 0) sb.Append('.');
            var s = path[i];
            var plain = s.Length > 0;
            foreach (var ch in s)
            {
                if (ch == '.' || IsInlineWhitespace(ch) || IsForbidden(ch) || ch == '\n')
                {
                    plain = false;
                    break;
                }
            }

            if (plain) sb.Append(s);
            else sb.Append('"').Append(s.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        }

        return sb.ToString();
    }

    private HoconException Error(int offset, string message) => _source.Error(offset, message);
}
