using Microsoft.Extensions.Configuration;

namespace MifActors.Actors.Internal;

/// <summary>Layers the user's configuration over the project's reference defaults.</summary>
internal static class ReferenceConfiguration
{
    // Interim: these mirror hocon/reference.conf until the HOCON provider lands and reads that file itself.
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["mifactors:actor:throughput"] = "30",
        ["mifactors:actor:ask-timeout"] = "5s",
        ["mifactors:actor:log-dead-letters"] = "10",
        ["mifactors:testkit:single-expect-default"] = "3s",
        ["mifactors:testkit:expect-no-message-default"] = "100ms",
        ["mifactors:testkit:time-factor"] = "1.0",
    };

    public static IConfiguration Over(IConfiguration? user)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(Defaults);
        if (user is not null) builder.AddConfiguration(user);
        return builder.Build();
    }
}
