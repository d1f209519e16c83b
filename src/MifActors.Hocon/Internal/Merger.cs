using System.Runtime.CompilerServices;

namespace MifActors.Hocon.Internal;

/// <summary>What happens when a key is written twice (HOCON.md, "Duplicate keys and object merging").</summary>
internal static class Merger
{
    /// <summary>
    /// Writes a field while parsing. Two objects merge; any other later value replaces the earlier
    /// one, except that a substitution or concatenation keeps the earlier value beneath it: it may
    /// refer to it (<c>path = ${path}":/bin"</c>) or turn out to be an object that merges with it.
    /// </summary>
    public static void SetField(HObject obj, string key, HValue value)
    {
        var slot = obj.IndexOf(key);
        if (slot < 0)
        {
            obj.Add(key, value);
            return;
        }

        if (obj.ValueAt(slot) is not { } existing)
        {
            obj.SetAt(slot, value);
            return;
        }

        obj.SetAt(slot, Combine(existing, value));
    }

    /// <summary>Writes every field of <paramref name="source"/> into <paramref name="target"/>, as if written there.</summary>
    public static void MergeFields(HObject target, HObject source)
    {
        for (var i = 0; i < source.SlotCount; i++)
        {
            if (source.ValueAt(i) is { } v) SetField(target, source.KeyAt(i), v);
        }
    }

    private static HValue Combine(HValue existing, HValue value)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw value.Error("objects are nested too deeply to merge; flatten the structure");
        }

        switch (value)
        {
            case HObject incoming when existing is HObject target:
                MergeFields(target, incoming);
                return target;
            case HObject when existing is HScalar or HArray:
                return value;
            case HObject or HSubstitution or HConcatenation or HMergeStack:
                var layers = new List<HValue> { value };
                if (existing is HMergeStack stack) layers.AddRange(stack.Layers);
                else layers.Add(existing);
                return new HMergeStack(value.Source, value.Offset, layers);
            default:
                return value;
        }
    }

    /// <summary>Merges two resolved objects into a new one; <paramref name="upper"/> wins.</summary>
    public static HObject MergeResolved(HObject lower, HObject upper)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw upper.Error("objects are nested too deeply to merge; flatten the structure");
        }

        var result = new HObject(upper.Source, upper.Offset);
        for (var i = 0; i < lower.SlotCount; i++)
        {
            if (lower.ValueAt(i) is { } v) result.Set(lower.KeyAt(i), v);
        }

        for (var i = 0; i < upper.SlotCount; i++)
        {
            if (upper.ValueAt(i) is not { } v) continue;
            var key = upper.KeyAt(i);
            if (v is HObject vo && result.TryGet(key, out var old) && old is HObject oo)
            {
                result.Set(key, MergeResolved(oo, vo));
            }
            else
            {
                result.Set(key, v);
            }
        }

        result.MarkResolved();
        return result;
    }
}
