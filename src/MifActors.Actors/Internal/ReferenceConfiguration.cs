using Microsoft.Extensions.Configuration;
using MifActors.Hocon;

namespace MifActors.Actors.Internal;

/// <summary>Layers the user's configuration over hocon/reference.conf, the one place every default lives.</summary>
internal static class ReferenceConfiguration
{
    public static IConfiguration Over(IConfiguration? user)
    {
        var builder = new ConfigurationBuilder().AddMifActorsReference();
        if (user is not null) builder.AddConfiguration(user);
        return builder.Build();
    }
}
