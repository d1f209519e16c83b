using System.Globalization;
using System.Text;

namespace MifActors.Hocon.Internal;

/// <summary>
/// Java .properties files, for includes: <c>a.b=value</c>, <c>a.b: value</c> or <c>a.b value</c>;
/// <c>#</c> and <c>!</c> comments; a trailing backslash continues the line. Keys split on dots;
/// every value is a string.
/// </summary>
internal static class PropertiesParser
{
    public static HObject Parse(SourceText source)
    {
        var root = new HObject(source, 0);
        var text = source.Text;
        var pos = 0;
        while (pos < text.Length)
        {
            var lineStart = pos;
            var logical = ReadLogicalLine(text, ref pos);
            var i = 0;
            while (i < logical.Length && char.IsWhiteSpace(logical[i])) i++;
            if (i >= logical.Length || logical[i] is '#' or '!') continue;

            var key = new StringBuilder();
            while (i < logical.Length && logical[i] is not ('=' or ':') && !char.IsWhiteSpace(logical[i]))
            {
                if (logical[i] == '\\' && i + 1 < logical.Length)
                {
                    i++;
                    key.Append(Unescape(logical, ref i, source, lineStart));
                    continue;
                }

                key.Append(logical[i++]);
            }

            while (i < logical.Length && char.IsWhiteSpace(logical[i])) i++;
            if (i < logical.Length && logical[i] is '=' or ':') i++;
            while (i < logical.Length && char.IsWhiteSpace(logical[i])) i++;
            var value = new StringBuilder();
            while (i < logical.Length)
            {
                if (logical[i] == '\\' && i + 1 < logical.Length)
                {
                    i++;
                    value.Append(Unescape(logical, ref i, source, lineStart));
                    continue;
                }

                value.Append(logical[i++]);
            }

            var path = key.ToString().Split('.');
            if (Array.IndexOf(path, string.Empty) >= 0)
            {
                throw source.Error(lineStart, $"property key '{key}' has an empty element (two dots in a row, or a leading or trailing dot)");
            }

            var obj = root;
            for (var p = 0; p < path.Length - 1; p++)
            {
                if (!obj.TryGet(path[p], out var child) || child is not HObject childObj)
                {
                    // a=1 then a.b=2: the object wins, as lightbend does for properties.
                    childObj = new HObject(source, lineStart);
                    obj.Set(path[p], childObj);
                }

                obj = childObj;
            }

            var last = path[^1];
            if (!(obj.TryGet(last, out var existing) && existing is HObject))
            {
                obj.Set(last, new HScalar(source, lineStart, ScalarKind.String, value.ToString()));
            }
        }

        return root;
    }

    private static string ReadLogicalLine(string text, ref int pos)
    {
        var sb = new StringBuilder();
        while (pos < text.Length)
        {
            var nl = text.IndexOf('\n', pos);
            var end = nl < 0 ? text.Length : nl;
            var line = text.AsSpan(pos, end - pos).TrimEnd('\r');
            pos = nl < 0 ? text.Length : nl + 1;
            var backslashes = 0;
            for (var k = line.Length - 1; k >= 0 && line[k] == '\\'; k--) backslashes++;
            if (backslashes % 2 == 1)
            {
                sb.Append(line[..^1]);
                while (pos < text.Length && text[pos] is ' ' or '\t') pos++;
                continue;
            }

            sb.Append(line);
            break;
        }

        return sb.ToString();
    }

    private static string Unescape(string s, ref int i, SourceText source, int lineStart)
    {
        var c = s[i++];
        switch (c)
        {
            case 't': return "\t";
            case 'n': return "\n";
            case 'r': return "\r";
            case 'f': return "\f";
            case 'u':
                if (i + 4 <= s.Length && ushort.TryParse(s.AsSpan(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    i += 4;
                    return ((char)code).ToString();
                }

                throw source.Error(lineStart, "bad escape '\\u' in a properties file: it needs four hex digits");
            default: return c.ToString();
        }
    }
}
