using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace MifActors.Node.Configuration.Internal;

/// <summary>
/// Reads a HOCON file and the files it includes (relative to the including file) through Akka's parser,
/// after <see cref="HoconStructureCheck"/> has passed each of them.
/// </summary>
internal static partial class HoconFile
{
    // A chain of includes deeper than this is a loop the path comparison did not catch (links, ..).
    private const int MaxIncludeDepth = 16;

    public static Config Load(string path) => new(Parse(path, DisplayName(path), []));

    private static HoconRoot Parse(string path, string display, List<string> including)
    {
        var fullPath = Path.GetFullPath(path);
        if (including.Contains(fullPath, StringComparer.Ordinal) || including.Count >= MaxIncludeDepth)
            throw new NodeConfigurationException($"{display}: included again from {string.Join(" <- ", including.Select(DisplayName).Reverse())}; an include loop has no end");

        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NodeConfigurationException($"{display}: no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeConfigurationException($"{display}: cannot be read: {e.Message}");
        }

        if (HoconStructureCheck.Check(text) is { } problem)
            throw new NodeConfigurationException($"{display}:{problem.Line}:{problem.Column}: {problem.Message}");

        var directory = Path.GetDirectoryName(fullPath)!;
        including.Add(fullPath);
        try
        {
            return Parser.Parse(text, name => Include(name, directory, display, text, including));
        }
        catch (NodeConfigurationException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new NodeConfigurationException(Describe(e, display, text));
        }
        finally
        {
            including.RemoveAt(including.Count - 1);
        }
    }

    private static HoconRoot Include(string name, string directory, string includerDisplay, string includerText, List<string> including)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            var where = Locate(includerText, $"\"{name}\"");
            throw new NodeConfigurationException(
                $"{includerDisplay}{where}: include \"{name}\": no such file {DisplayName(path)} (includes are relative to the including file)");
        }
        return Parse(path, DisplayName(path), including);
    }

    /// <summary>Akka's parser errors carry a character offset at best and span lines; make them one line with line:column.</summary>
    private static string Describe(Exception e, string display, string text)
    {
        if (UnknownToken().Match(e.Message) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, out var offset))
        {
            var (line, column) = LineColumn(text, offset);
            var found = offset < text.Length ? $" '{text[offset]}'" : "";
            return $"{display}:{line}:{column}: unexpected{found}: expected a key, a value or a separator here";
        }
        if (UnresolvedSubstitution().Match(e.Message) is { Success: true } s)
        {
            return $"{display}{Locate(text, "${" + s.Groups[1].Value + "}")}: ${{{s.Groups[1].Value}}} refers to a key this file does not set " +
                "(substitutions are resolved within the file and its includes, not against the defaults)";
        }
        return $"{display}: {OneLine(e.Message)}";
    }

    private static string Locate(string text, string fragment)
    {
        var offset = text.IndexOf(fragment, StringComparison.Ordinal);
        if (offset < 0)
            return "";
        var (line, column) = LineColumn(text, offset);
        return $":{line}:{column}";
    }

    private static (int Line, int Column) LineColumn(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        return (line, offset - lineStart + 1);
    }

    internal static string OneLine(string message) => WhiteSpace().Replace(message, " ").Trim();

    internal static string DisplayName(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    [GeneratedRegex(@"^Unknown token at position (\d+)")]
    private static partial Regex UnknownToken();

    [GeneratedRegex(@"^Unresolved substitution: (\S+)")]
    private static partial Regex UnresolvedSubstitution();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
