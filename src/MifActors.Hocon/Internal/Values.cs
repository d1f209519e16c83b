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

internal enum ScalarKind : byte
{
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A string, number, boolean or null; <see cref="Text"/> is the text as written.</summary>
internal sealed class HScalar : HValue
{
    // Most values are read verbatim from the document, so they are kept as a slice of it and
    // become a string only if someone asks: the JSON writer copies straight from the slice.
    private string? _text;
    private readonly int _length;

    public HScalar(SourceText source, int offset, ScalarKind kind, string text, bool isWhitespace = false)
        : base(source, offset)
    {
        Kind = kind;
        _text = text;
        _length = text.Length;
        IsWhitespace = isWhitespace;
    }

    private HScalar(SourceText source, int offset, int length, ScalarKind kind, bool isWhitespace)
        : base(source, offset)
    {
        Kind = kind;
        _length = length;
        IsWhitespace = isWhitespace;
    }

    /// <summary>A value that is exactly the characters <c>[offset, offset + length)</c> of the document.</summary>
    public static HScalar Slice(SourceText source, int offset, int length, ScalarKind kind, bool isWhitespace = false) =>
        new(source, offset, length, kind, isWhitespace);

    public ScalarKind Kind { get; }

    /// <summary>The string's content, or a number, boolean or null exactly as written.</summary>
    public string Text => _text ??= Source.Text.Substring(Offset, _length);

    public ReadOnlySpan<char> Span => _text is null ? Source.Text.AsSpan(Offset, _length) : _text.AsSpan();

    /// <summary>Whitespace between the pieces of a concatenation: kept between strings, dropped elsewhere.</summary>
    public bool IsWhitespace { get; }

    public override bool IsResolved => true;
}

/// <summary>An object; fields keep the order they were first written in.</summary>
internal sealed class HObject(SourceText source, int offset) : HValue(source, offset)
{
    // A plain scalar (most fields) is kept inside its field instead of as an HScalar of its own:
    // fewer objects for the collector to trace while a large document is parsed.
    private struct Field
    {
        public string Key;
        public HValue? Value;
        public int InlineOffset;

        /// <summary>0 when the value is in <see cref="Value"/>; else (length + 1) &lt;&lt; 2 | kind.</summary>
        public int InlineInfo;

        public readonly bool IsInline => InlineInfo != 0;

        public readonly int InlineLength => (InlineInfo >>> 2) - 1;

        public readonly ScalarKind InlineKind => (ScalarKind)(InlineInfo & 3);
    }

    /// <summary>Longest scalar kept inside its field; longer ones (rare) get an HScalar.</summary>
    public const int MaxInlineLength = (int.MaxValue >>> 2) - 1;

    // Small objects are searched linearly: most config objects have a handful of keys and a
    // dictionary per object costs more than it saves. The index appears past IndexThreshold.
    private const int IndexThreshold = 8;
    private Field[] _fields = new Field[4];
    private Dictionary<string, int>? _index;
    private bool _resolved = true;

    /// <summary>Slots written so far, including removed ones (see <see cref="ValueAt"/>).</summary>
    public int SlotCount { get; private set; }

    public override bool IsResolved => _resolved;

    public void MarkResolved() => _resolved = true;

    public void MarkUnresolved() => _resolved = false;

    public string KeyAt(int slot) => _fields[slot].Key;

    /// <summary>The value in a slot, or null where an undefined optional substitution removed the field.</summary>
    public HValue? ValueAt(int slot)
    {
        ref var field = ref _fields[slot];
        return field.IsInline
            ? HScalar.Slice(Source, field.InlineOffset, field.InlineLength, field.InlineKind)
            : field.Value;
    }

    /// <summary>A slot holding a plain scalar, read without making an HScalar for it.</summary>
    public bool TryGetInline(int slot, out ScalarKind kind, out ReadOnlySpan<char> text)
    {
        ref var field = ref _fields[slot];
        kind = field.InlineKind;
        text = field.IsInline ? Source.Text.AsSpan(field.InlineOffset, field.InlineLength) : default;
        return field.IsInline;
    }

    /// <summary>False when the slot holds a value with a substitution somewhere inside.</summary>
    public bool IsResolvedAt(int slot)
    {
        ref var field = ref _fields[slot];
        return field.IsInline || field.Value is null || field.Value.IsResolved;
    }

    public void SetAt(int slot, HValue? value)
    {
        ref var field = ref _fields[slot];
        field.Value = value;
        field.InlineInfo = 0;
        if (value is { IsResolved: false }) _resolved = false;
    }

    public int Count
    {
        get
        {
            var n = 0;
            for (var i = 0; i < SlotCount; i++) if (_fields[i].Value is not null || _fields[i].IsInline) n++;
            return n;
        }
    }

    public int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var i) ? i : -1;
        var fields = _fields;
        for (var i = 0; i < SlotCount; i++)
        {
            var k = fields[i].Key;
            if ((object)k == key || string.Equals(k, key, StringComparison.Ordinal)) return i;
        }

        return -1;
    }

    public bool TryGet(string key, out HValue value)
    {
        var i = IndexOf(key);
        if (i >= 0 && ValueAt(i) is { } v)
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

        Add(key, value);
    }

    /// <summary>Appends a field known not to exist yet.</summary>
    public void Add(string key, HValue value)
    {
        AddSlot(key, new Field { Key = key, Value = value });
        if (!value.IsResolved) _resolved = false;
    }

    /// <summary>Appends a field known not to exist yet whose value is <c>[offset, offset + length)</c> of this object's document.</summary>
    public void AddInline(string key, ScalarKind kind, int offset, int length) =>
        AddSlot(key, new Field { Key = key, InlineOffset = offset, InlineInfo = ((length + 1) << 2) | (int)kind });

    private void AddSlot(string key, Field field)
    {
        if (SlotCount == _fields.Length) Array.Resize(ref _fields, SlotCount * 2);
        _fields[SlotCount] = field;
        if (_index is not null)
        {
            _index[key] = SlotCount;
        }
        else if (SlotCount == IndexThreshold)
        {
            _index = new Dictionary<string, int>(SlotCount * 2, StringComparer.Ordinal);
            for (var k = 0; k <= SlotCount; k++) _index[_fields[k].Key] = k;
        }

        SlotCount++;
    }
}

internal sealed class HArray(SourceText source, int offset, List<HValue> items, bool resolved) : HValue(source, offset)
{
    private bool _resolved = resolved;

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
