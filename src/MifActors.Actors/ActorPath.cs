using System.Text;

namespace MifActors.Actors;

/// <summary>
/// The name of an actor in its system's tree: <c>mif://lab/user/host/if-wlan0</c>. Two paths are equal when
/// they name the same place; <see cref="Uid"/> tells incarnations at the same place apart and is compared by
/// actor references, not by paths.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    /// <summary>The scheme of every MifActors path.</summary>
    public const string Scheme = "mif";

    private readonly string systemName;

    private ActorPath(string systemName, ActorPath? parent, string name, long uid, int depth)
    {
        this.systemName = systemName;
        Parent = parent;
        Name = name;
        Uid = uid;
        Depth = depth;
    }

    /// <summary>The parent path; null only for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element; the root's name is "/".</summary>
    public string Name { get; }

    /// <summary>The incarnation of the actor at this path (0 where none applies).</summary>
    public long Uid { get; }

    /// <summary>The number of elements below the root.</summary>
    public int Depth { get; }

    /// <summary>The address part, <c>mif://lab</c>.</summary>
    public string Address => $"{Scheme}://{systemName}";

    /// <summary>The name of the actor system this path belongs to.</summary>
    public string SystemName => systemName;

    /// <summary>The elements below the root, from the top: <c>["user", "host", "if-wlan0"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            for (var p = this; p.Parent is not null; p = p.Parent)
            {
                elements[p.Depth - 1] = p.Name;
            }

            return elements;
        }
    }

    internal static ActorPath Root(string systemName) => new(systemName, null, "/", 0, 0);

    /// <summary>A child path of this one.</summary>
    public ActorPath Child(string name, long uid = 0) => new(systemName, this, name, uid, Depth + 1);

    /// <summary>Parses <c>mif://system/a/b</c>.</summary>
    public static bool TryParse(string text, out ActorPath? path)
    {
        path = null;
        var prefix = Scheme + "://";
        if (!text.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = text.AsSpan(prefix.Length);
        var slash = rest.IndexOf('/');
        var system = slash < 0 ? rest : rest[..slash];
        if (system.IsEmpty) return false;
        var current = Root(system.ToString());
        if (slash >= 0)
        {
            foreach (var element in rest[(slash + 1)..].ToString().Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                current = current.Child(element);
            }
        }

        path = current;
        return true;
    }

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Depth != Depth) return false;
        for (ActorPath? a = this, b = other; a is not null && b is not null; a = a.Parent, b = b.Parent)
        {
            if (ReferenceEquals(a, b)) return true;
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal)) return false;
            if (a.Parent is null) return string.Equals(a.systemName, b.systemName, StringComparison.Ordinal);
        }

        return false;
    }

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var p = this; p is not null; p = p.Parent)
        {
            hash.Add(p.Parent is null ? p.systemName : p.Name, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public int CompareTo(ActorPath? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    /// <summary><c>mif://lab/user/host</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Scheme.Length + 3 + systemName.Length + (Depth * 12));
        builder.Append(Scheme).Append("://").Append(systemName);
        if (Depth == 0) return builder.Append('/').ToString();
        AppendElements(builder, this);
        return builder.ToString();
    }

    /// <summary>The path with the incarnation: <c>mif://lab/user/host#42</c>.</summary>
    public string ToStringWithUid() => Uid == 0 ? ToString() : $"{this}#{Uid}";

    private static void AppendElements(StringBuilder builder, ActorPath path)
    {
        if (path.Parent is null) return;
        AppendElements(builder, path.Parent);
        builder.Append('/').Append(path.Name);
    }

    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);
}
