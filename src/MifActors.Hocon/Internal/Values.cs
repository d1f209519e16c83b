namespace MifActors.Hocon.Internal;

/// <summary>
/// A value of the parsed document before substitutions are resolved. Every value remembers where
/// it was written, so a later error (a cycle, a bad concatenation) can point at it.
/// </summary>
internal abstract class HValue(SourceText source, int offset)
{
    public SourceText Source { get; } = source;

    public int Offset { get; } = offset;

    /// <summary>True when no substitution is left anywhere inside: resolution skips the value.</summary>
    public abstract bool IsResolved { get; }

    public HoconException Error(string message) => Source.Error(Offset, message);
}

internal enum ScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A string, number, boolean or null; <see cref="Text"/> is the text as written.</summary>
internal sealed class HScalar(SourceText source, int offset, ScalarKind kind, string text, bool isWhitespace = false)
    : HValue(source, offset)
{
    public ScalarKind Kind { get; } = kind;

    /// <summary>The string's content, or a number, boolean or null exactly as written.</summary>
    public string Text { get; } = text;

    /// <summary>Whitespace between the pieces of a concatenation: kept between strings, dropped elsewhere.</summary>
    public bool IsWhitespace { get; } = isWhitespace;

    public override bool IsResolved => true;
}

/// <summary>An object; fields keep the order they were first written in.</summary>
internal sealed class HObject(SourceText source, int offset) : HValue(source, offset)
{
    // Small objects are searched linearly: most config objects have a handful of keys and a
    // dictionary per object costs more than it saves. The index appears past IndexThreshold.
    private const int IndexThreshold = 8;
    private string[] _keys = new string[4];
    private HValue?[] _values = new HValue?[4];
    private Dictionary<string, int>? _index;
    private bool _resolved = true;

    /// <summary>Slots written so far, including removed ones (see <see cref="ValueAt"/>).</summary>
    public int SlotCount { get; private set; }

    public override bool IsResolved => _resolved;

    public void MarkResolved() => _resolved = true;

    public void MarkUnresolved() => _resolved = false;

    public string KeyAt(int slot) => _keys[slot];

    /// <summary>The value in a slot, or null where an undefined optional substitution removed the field.</summary>
    public HValue? ValueAt(int slot) => _values[slot];

    public void SetAt(int slot, HValue? value)
    {
        _values[slot] = value;
        if (value is { IsResolved: false }) _resolved = false;
    }

    public int Count
    {
        get
        {
            var n = 0;
            for (var i = 0; i < SlotCount; i++) if (_values[i] is not null) n++;
            return n;
        }
    }

    public int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var i) ? i : -1;
        for (var i = 0; i < SlotCount; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal)) return i;
        }

        return -1;
    }

    public bool TryGet(string key, out HValue value)
    {
        var i = IndexOf(key);
        if (i >= 0 && _values[i] is { } v)
        {
            value = v;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>Adds or replaces a field, keeping the slot (and so the order) of an existing key.</summary>
    public void Set(string key, HValue value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            SetAt(i, value);
            return;
        }

        if (SlotCount == _keys.Length)
        {
            Array.Resize(ref _keys, SlotCount * 2);
            Array.Resize(ref _values, SlotCount * 2);
        }

        _keys[SlotCount] = key;
        _values[SlotCount] = value;
        if (_index is not null)
        {
            _index[key] = SlotCount;
        }
        else if (SlotCount == IndexThreshold)
        {
            _index = new Dictionary<string, int>(SlotCount * 2, StringComparer.Ordinal);
            for (var k = 0; k <= SlotCount; k++) _index[_keys[k]] = k;
        }

        SlotCount++;
        if (!value.IsResolved) _resolved = false;
    }
}

internal sealed class HArray(SourceText source, int offset, List<HValue> items) : HValue(source, offset)
{
    private bool _resolved = items.TrueForAll(i => i.IsResolved);

    public List<HValue> Items { get; } = items;

    public override bool IsResolved => _resolved;

    public void MarkResolved() => _resolved = true;
}

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="Path"/> is already prefixed with the location of
/// the include the file was read through; <see cref="FallbackPath"/> is the path as written, tried
/// when that is not found. <see cref="Expression"/> is the text as written: for errors, and the
/// name of the environment variable tried last.
/// </summary>
internal sealed class HSubstitution(
    SourceText source, int offset, string[] path, string[]? fallbackPath, bool optional, string expression)
    : HValue(source, offset)
{
    public string[] Path { get; } = path;

    public string[]? FallbackPath { get; } = fallbackPath;

    public bool Optional { get; } = optional;

    public string Expression { get; } = expression;

    public override bool IsResolved => false;

    public override string ToString() => Optional ? "${?" + Expression + "}" : "${" + Expression + "}";
}

/// <summary>Values written side by side (<c>${a}":/bin"</c>, <c>[1] [2]</c>, <c>${base} { x = 1 }</c>).</summary>
internal sealed class HConcatenation(SourceText source, int offset, List<HValue> pieces) : HValue(source, offset)
{
    public List<HValue> Pieces { get; } = pieces;

    public override bool IsResolved => false;
}

/// <summary>
/// Several assignments to one key that can only be merged once substitutions are known
/// (lightbend's "delayed merge"). <see cref="Layers"/>[0] is the last one written and wins.
/// </summary>
internal sealed class HMergeStack(SourceText source, int offset, List<HValue> layers) : HValue(source, offset)
{
    public List<HValue> Layers { get; } = layers;

    public override bool IsResolved => false;
}
