namespace MifActors.Hocon.Internal;

internal sealed partial class Parser
{
    private enum IncludeKind
    {
        /// <summary><c>include "name"</c>: a file beside the including one, else a resource of this assembly.</summary>
        Heuristic,
        File,
        Classpath,
        Url,
    }

    /// <summary><c>include</c> followed by a quoted name or one of the include functions.</summary>
    private bool IsIncludeKeyword()
    {
        if (string.CompareOrdinal(_text, _pos, "include", 0, 7) != 0) return false;
        var p = _pos + 7;
        if (p >= _text.Length || !IsInlineWhitespace(_text[p])) return false;
        while (p < _text.Length && IsInlineWhitespace(_text[p])) p++;
        if (p >= _text.Length) return false;
        if (_text[p] == '"') return true;
        var rest = _text.AsSpan(p);
        return rest.StartsWith("file(") || rest.StartsWith("url(") || rest.StartsWith("classpath(") || rest.StartsWith("required(");
    }

    private void ParseInclude(HObject target, int depth)
    {
        var start = _pos;
        _pos += 7;
        SkipInline();
        var required = false;
        var parens = 0;
        if (TryConsume("required("))
        {
            required = true;
            parens++;
            SkipInline();
        }

        var kind = IncludeKind.Heuristic;
        if (TryConsume("file(")) kind = IncludeKind.File;
        else if (TryConsume("classpath(")) kind = IncludeKind.Classpath;
        else if (TryConsume("url(")) kind = IncludeKind.Url;
        if (kind != IncludeKind.Heuristic)
        {
            parens++;
            SkipInline();
        }

        if (Peek() != '"' || (PeekAt(1) == '"' && PeekAt(2) == '"'))
        {
            throw Error(_pos, "include needs a quoted file name, as in include \"other.conf\" or include required(file(\"other.conf\"))");
        }

        var name = ReadQuotedContent();
        for (var i = 0; i < parens; i++)
        {
            SkipInline();
            if (Peek() != ')') throw Error(_pos, $"expected ')' to close the include of \"{name}\"");
            _pos++;
        }

        if (kind == IncludeKind.Url)
        {
            throw Error(start, $"url() includes are not supported (\"{name}\"): copy the file beside this one and use include file(\"...\")");
        }

        var included = _includes.Load(_source, start, name, kind == IncludeKind.Classpath, kind == IncludeKind.Heuristic, required, CurrentPath(), depth);
        if (included is not null) Merger.MergeFields(target, included);
    }

    private bool TryConsume(string literal)
    {
        if (!_text.AsSpan(_pos).StartsWith(literal)) return false;
        _pos += literal.Length;
        return true;
    }
}

/// <summary>
/// What includes need to know: the chain of files being read (to catch a file including itself)
/// and how deep the chain is.
/// </summary>
internal sealed class IncludeContext
{
    private const int MaxIncludeDepth = 50;
    private readonly List<string> _chain = [];

    public static string[] ConfExtensions { get; } = [".properties", ".json", ".conf"];

    public static HValue ParseFile(string path)
    {
        var context = new IncludeContext();
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new HoconException($"file not found (looked for {full})", path, 0, 0);
        context._chain.Add(full);
        return Parser.ParseDocument(ReadSource(full, path), context, [], 0);
    }

    public static HValue ParseText(string text, string displayName, string? baseDirectory)
    {
        var source = new SourceText(text, displayName, baseDirectory ?? Directory.GetCurrentDirectory());
        return Parser.ParseDocument(source, new IncludeContext(), [], 0);
    }

    /// <summary>Reads an included document; null when a non-required include finds nothing.</summary>
    public HObject? Load(SourceText from, int offset, string name, bool classpathOnly, bool heuristic, bool required,
        string[] prefix, int depth)
    {
        if (_chain.Count >= MaxIncludeDepth)
        {
            throw from.Error(offset, $"includes are nested more than {MaxIncludeDepth} deep; is a chain of files including each other?");
        }

        var found = new List<(string? FullPath, string Display, string Text, string Extension)>();
        string? lookedFor = null;
        if (!classpathOnly)
        {
            var directory = from.Directory ?? Directory.GetCurrentDirectory();
            var full = Path.GetFullPath(Path.Combine(directory, name));
            var displayDir = Path.GetDirectoryName(from.DisplayName);
            var display = string.IsNullOrEmpty(displayDir) || Path.IsPathRooted(name) ? name : Path.Join(displayDir, name);
            var extension = Path.GetExtension(name);
            if (ConfExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
            {
                lookedFor = full;
                if (File.Exists(full)) found.Add((full, display, File.ReadAllText(full), extension.ToLowerInvariant()));
            }
            else
            {
                // No known extension: every one of name.properties, name.json, name.conf that
                // exists is read, later ones taking precedence.
                lookedFor = full + "(.conf|.json|.properties)";
                foreach (var ext in ConfExtensions)
                {
                    if (File.Exists(full + ext)) found.Add((full + ext, display + ext, File.ReadAllText(full + ext), ext));
                }

                if (found.Count == 0 && File.Exists(full)) found.Add((full, display, File.ReadAllText(full), ".conf"));
            }
        }

        if (found.Count == 0 && (classpathOnly || heuristic) && EmbeddedResources.TryRead(name) is { } resource)
        {
            // Like lightbend's classpath fallback: the project's own reference.conf travels in the assembly.
            found.Add((null, name + " (embedded)", resource, ".conf"));
        }

        if (found.Count == 0)
        {
            if (!required) return null;
            var where = classpathOnly ? "among the embedded resources" : $"looked for {lookedFor}";
            throw from.Error(offset, $"required include \"{name}\" not found ({where}); create the file or drop required(...)");
        }

        HObject? result = null;
        foreach (var (fullPath, display, text, extension) in found)
        {
            var key = fullPath ?? "embedded:" + name;
            if (_chain.Contains(key, StringComparer.Ordinal))
            {
                var chain = string.Join(" -> ", _chain.Append(key).Select(Path.GetFileName));
                throw from.Error(offset, $"\"{name}\" includes itself ({chain}); remove the include that closes the loop");
            }

            _chain.Add(key);
            HValue parsed;
            try
            {
                var source = new SourceText(text, display, fullPath is null ? null : Path.GetDirectoryName(fullPath));
                parsed = extension == ".properties"
                    ? PropertiesParser.Parse(source)
                    : Parser.ParseDocument(source, this, prefix, depth);
            }
            finally
            {
                _chain.RemoveAt(_chain.Count - 1);
            }

            if (parsed is not HObject obj)
            {
                throw from.Error(offset, $"included file \"{name}\" holds an array; an included file must hold an object");
            }

            if (result is null) result = obj;
            else Merger.MergeFields(result, obj);
        }

        return result;
    }

    private static SourceText ReadSource(string fullPath, string display) =>
        new(File.ReadAllText(fullPath), display, Path.GetDirectoryName(fullPath));
}

/// <summary>Resources embedded in this assembly (reference.conf), the stand-in for lightbend's classpath.</summary>
internal static class EmbeddedResources
{
    public static string? TryRead(string name)
    {
        var assembly = typeof(EmbeddedResources).Assembly;
        using var stream = assembly.GetManifestResourceStream(name.TrimStart('/'));
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
