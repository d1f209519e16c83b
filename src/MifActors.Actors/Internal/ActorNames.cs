namespace MifActors.Actors.Internal;

/// <summary>What an actor name may be, and names the runtime makes up.</summary>
internal static class ActorNames
{
    private const string AllowedPunctuation = "-_.:@&=+,!~*'();%";

    public static string Validate(string name, ActorPath parent)
    {
        if (name.Length == 0)
        {
            throw new InvalidActorNameException($"actor name under {parent} is empty; pass null to get a generated name");
        }

        if (name[0] == '$')
        {
            throw new InvalidActorNameException($"actor name \"{name}\" under {parent} starts with '$', which is kept for generated names");
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && !AllowedPunctuation.Contains(c) && c != '$')
            {
                var shown = char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
                throw new InvalidActorNameException(
                    $"actor name \"{name}\" under {parent} has {shown} at position {i}; names use ASCII letters, digits and {AllowedPunctuation}");
            }
        }

        return name;
    }

    public static string Generated(long counter)
    {
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            buffer[--i] = (char)('a' + (counter % 26));
            counter /= 26;
        }
        while (counter > 0);
        buffer[--i] = '$';
        return new string(buffer[i..]);
    }

    public static long NewUid() => Random.Shared.NextInt64(1, long.MaxValue);
}
