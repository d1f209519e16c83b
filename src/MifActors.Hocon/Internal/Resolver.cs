using System.Runtime.CompilerServices;
using System.Text;

namespace MifActors.Hocon.Internal;

/// <summary>
/// Replaces every substitution with the value its path has in the finished document
/// (HOCON.md, "Substitutions"). Results are written back into the tree, so each field is
/// resolved once. A value met again while it is still being resolved is a cycle, unless a
/// self-reference can look at the value the field had before (its "earlier value").
/// </summary>
internal sealed class Resolver
{
    /// <summary>Substitutions nested deeper than this are reported instead of risking the stack.</summary>
    private const int MaxDepth = 1000;

    private readonly HValue _root;
    private readonly HashSet<HValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly List<SelfReferenceFrame> _frames = [];
    private readonly List<HSubstitution> _active = [];
    private readonly Func<string, string?> _environment;
    private int _depth;

    private Resolver(HValue root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>
    /// A field whose value is a substitution or concatenation, being resolved. A substitution of
    /// this path (or a path below it) reads the layers beneath: the field's earlier value.
    /// </summary>
    private readonly record struct SelfReferenceFrame(string[] Path, HMergeStack? Stack, int Below);

    public static HValue Resolve(HValue root, Func<string, string?>? environment = null)
    {
        if (root.IsResolved) return root;
        var resolver = new Resolver(root, environment ?? Environment.GetEnvironmentVariable);
        return resolver.ResolveValue(root, []) ?? new HObject(root.Source, 0);
    }

    /// <summary>Resolves a value; null means "undefined" (an optional substitution that found nothing).</summary>
    private HValue? ResolveValue(HValue value, string[] path)
    {
        if (value.IsResolved) return value;
        if (!_inProgress.Add(value)) throw Cycle(value);
        if (++_depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw value.Error($"substitutions are nested more than {MaxDepth} deep; is there a very long chain of ${{...}} references?");
        }

        try
        {
            return value switch
            {
                HObject obj => ResolveObject(obj, path),
                HArray array => ResolveArray(array, path),
                HSubstitution substitution => ResolveSubstitution(substitution),
                HConcatenation concatenation => ResolveConcatenation(concatenation, path),
                HMergeStack stack => ResolveStack(stack, path, 0),
                _ => value,
            };
        }
        finally
        {
            _depth--;
            _inProgress.Remove(value);
        }
    }

    /// <summary>Resolves the value of the field at <paramref name="path"/>, which may refer to its own earlier value.</summary>
    private HValue? ResolveField(HValue value, string[] path)
    {
        if (value is not (HSubstitution or HConcatenation)) return ResolveValue(value, path);
        _frames.Add(new SelfReferenceFrame(path, null, 0));
        try
        {
            return ResolveValue(value, path);
        }
        finally
        {
            _frames.RemoveAt(_frames.Count - 1);
        }
    }

    private HObject ResolveObject(HObject obj, string[] path)
    {
        for (var i = 0; i < obj.SlotCount; i++)
        {
            if (obj.IsResolvedAt(i)) continue;
            obj.SetAt(i, ResolveField(obj.ValueAt(i)!, [.. path, obj.KeyAt(i)]));
        }

        obj.MarkResolved();
        return obj;
    }

    private HArray ResolveArray(HArray array, string[] path)
    {
        var items = array.Items;
        var removed = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].IsResolved) continue;
            var r = ResolveValue(items[i], path);
            if (r is null) removed = true;
            items[i] = r!;
        }

        if (removed) items.RemoveAll(x => x is null);
        array.MarkResolved();
        return array;
    }

    private HValue? ResolveStack(HMergeStack stack, string[] path, int start)
    {
        List<HObject>? objects = null;
        for (var i = start; i < stack.Layers.Count; i++)
        {
            var layer = stack.Layers[i];
            HValue? r;
            if (layer is HSubstitution or HConcatenation)
            {
                _frames.Add(new SelfReferenceFrame(path, stack, i + 1));
                try
                {
                    r = ResolveValue(layer, path);
                }
                finally
                {
                    _frames.RemoveAt(_frames.Count - 1);
                }
            }
            else
            {
                r = ResolveValue(layer, path);
            }

            if (r is null) continue; // an undefined optional substitution leaves the earlier value in place
            if (r is HObject o)
            {
                (objects ??= []).Add(o);
                continue;
            }

            // Anything but an object hides what is beneath it.
            if (objects is null) return r;
            break;
        }

        if (objects is null) return null;
        var merged = objects[^1];
        for (var j = objects.Count - 2; j >= 0; j--) merged = Merger.MergeResolved(merged, objects[j]);
        return merged;
    }

    private HValue? ResolveSubstitution(HSubstitution substitution)
    {
        _active.Add(substitution);
        try
        {
            for (var f = _frames.Count - 1; f >= 0; f--)
            {
                var frame = _frames[f];
                if (!StartsWith(substitution.Path, frame.Path)) continue;

                // A self-reference: read the field's earlier value instead of the field itself.
                HValue? earlier = null;
                if (frame.Stack is { } stack && frame.Below < stack.Layers.Count)
                {
                    earlier = ResolveStack(stack, frame.Path, frame.Below);
                }

                var found = earlier is null ? null : Descend(earlier, substitution.Path, frame.Path.Length);
                if (found is not null) return found;
                if (substitution.Optional) return null;
                if (FromEnvironment(substitution) is { } env) return env;
                if (f != _frames.Count - 1) throw Cycle(substitution);
                throw substitution.Error($"{substitution} refers to the field it is in, and \"{Parser.JoinPath(frame.Path)}\" " +
                                         "has no earlier value; set it above, or use ${?...} to make it optional");
            }

            var value = Lookup(substitution.Path);
            if (value is null && substitution.FallbackPath is { } fallback) value = Lookup(fallback);
            if (value is not null) return value;
            if (FromEnvironment(substitution) is { } fromEnvironment) return fromEnvironment;
            if (substitution.Optional) return null;
            throw substitution.Error($"could not resolve substitution {substitution}: \"{substitution.Expression}\" is not set " +
                                     "in the configuration nor as an environment variable; define it, or use ${?...} to make it optional");
        }
        finally
        {
            _active.RemoveAt(_active.Count - 1);
        }
    }

    private HScalar? FromEnvironment(HSubstitution substitution) =>
        _environment(substitution.Expression) is { } value
            ? new HScalar(substitution.Source, substitution.Offset, ScalarKind.String, value)
            : null;

    /// <summary>The resolved value at <paramref name="path"/> in the whole document, or null.</summary>
    private HValue? Lookup(string[] path)
    {
        if (_root is not HObject obj) return null;
        for (var i = 0; i < path.Length; i++)
        {
            var slot = obj.IndexOf(path[i]);
            if (slot < 0 || obj.ValueAt(slot) is not { } v) return null;
            if (i == path.Length - 1 || v is not HObject)
            {
                // The field must be resolved to be read (or, midway, to be descended into).
                if (!v.IsResolved)
                {
                    v = ResolveField(v, path[..(i + 1)])!;
                    obj.SetAt(slot, v);
                    if (v is null) return null;
                }

                if (i == path.Length - 1) return v;
                if (v is not HObject next) return null;
                obj = next;
            }
            else
            {
                obj = (HObject)v;
            }
        }

        return null;
    }

    private static HValue? Descend(HValue value, string[] path, int from)
    {
        for (var i = from; i < path.Length; i++)
        {
            if (value is not HObject obj || !obj.TryGet(path[i], out value)) return null;
        }

        return value;
    }

    private HValue? ResolveConcatenation(HConcatenation concatenation, string[] path)
    {
        var resolved = new List<HValue>(concatenation.Pieces.Count);
        foreach (var piece in concatenation.Pieces)
        {
            if (ResolveValue(piece, path) is { } r) resolved.Add(r);
        }

        // Whitespace at either end separated a piece that turned out undefined.
        while (resolved.Count > 0 && resolved[0] is HScalar { IsWhitespace: true }) resolved.RemoveAt(0);
        while (resolved.Count > 0 && resolved[^1] is HScalar { IsWhitespace: true }) resolved.RemoveAt(resolved.Count - 1);
        if (resolved.Count == 0) return null;
        if (resolved.Count == 1) return resolved[0];

        HValue? firstComplex = resolved.Find(r => r is HObject or HArray);
        if (firstComplex is null)
        {
            var sb = new StringBuilder();
            foreach (var r in resolved) sb.Append(((HScalar)r).Text);
            return new HScalar(concatenation.Source, concatenation.Offset, ScalarKind.String, sb.ToString());
        }

        var parts = resolved.FindAll(r => r is not HScalar { IsWhitespace: true });
        if (firstComplex is HArray)
        {
            var items = new List<HValue>();
            foreach (var part in parts)
            {
                if (part is not HArray a) throw Mixed(concatenation, part, "an array");
                items.AddRange(a.Items);
            }

            return new HArray(concatenation.Source, concatenation.Offset, items, resolved: true);
        }

        HObject? merged = null;
        foreach (var part in parts)
        {
            if (part is not HObject o) throw Mixed(concatenation, part, "an object");
            merged = merged is null ? o : Merger.MergeResolved(merged, o);
        }

        return merged;
    }

    private static HoconException Mixed(HConcatenation concatenation, HValue part, string kind)
    {
        var other = part switch
        {
            HArray => "an array",
            HObject => "an object",
            HScalar { Kind: ScalarKind.String } s => $"the string \"{s.Text}\"",
            HScalar s => s.Text,
            _ => "a value",
        };
        return concatenation.Error($"cannot concatenate {kind} with {other}: write them on separate keys, " +
                                   "or put the text in double quotes inside the array or object");
    }

    private HoconException Cycle(HValue at)
    {
        var chain = _active.Count == 0 ? "" : " (" + string.Join(" -> ", _active.Select(s => s.ToString())) + ")";
        return (at is HSubstitution ? at : _active.Count > 0 ? _active[^1] : at)
            .Error($"substitution cycle{chain}: a value depends on itself; break the loop by giving one of these keys a plain value");
    }

    private static bool StartsWith(string[] path, string[] prefix)
    {
        if (prefix.Length > path.Length) return false;
        for (var i = 0; i < prefix.Length; i++)
        {
            if (!string.Equals(path[i], prefix[i], StringComparison.Ordinal)) return false;
        }

        return true;
    }
}
