using System.Net;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Hosting;

/// <summary>What an LMA role needs besides configuration: its address and the MAGs' keys.</summary>
/// <param name="Address">This LMA's address: its socket binds it, MAGs send to it.</param>
/// <param name="Associations">One SPI and key per MAG.</param>
public sealed record LmaRoleOptions(IPAddress Address, MobilitySecurityAssociations Associations)
{
    /// <summary>The actor's name under <c>/user</c> and the first part of its persistence ids.</summary>
    public string Name { get; init; } = "lma";

    /// <summary>A transport of the caller's (tests: an in-memory network); null opens the one <c>mifactors.pmip.transport</c> names.</summary>
    public IMobilityTransport? Transport { get; init; }
}

/// <summary>What a MAG role needs besides configuration: its address, its LMA and key, and its access technology.</summary>
public sealed record MagRoleOptions(IPAddress Address, MobilitySecurityAssociations Associations, IPAddress Lma, AccessTechnologyType AccessTechnology)
{
    public string Name { get; init; } = "mag";

    public IMobilityTransport? Transport { get; init; }
}

/// <summary>
/// Composes the PMIP roles into an Akka.Hosting node (<c>services.AddAkka(...)</c>): the module's defaults
/// (<see cref="PmipConfig.Default"/>), the journal, and the LMA or MAG tree, started with the system. A started node's
/// <c>/user</c> actor is in the <see cref="ActorRegistry"/> under <see cref="Lma"/> or <see cref="Mag"/>, and the node
/// itself in <see cref="PmipNodes"/>.
/// </summary>
public static class PmipHostingExtensions
{
    /// <summary><c>hocon/pmip.conf</c> under what the builder has (a role file added before this call overrides it).</summary>
    public static AkkaConfigurationBuilder WithPmipDefaults(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon(PmipConfig.Default, HoconAddMode.Append);

    /// <summary>
    /// The MN state on Akka.Persistence.Sql: journal, snapshot store and read journal on one database, through
    /// Akka.Persistence.Sql.Hosting. Without this call the defaults of <c>hocon/pmip.conf</c> apply (SQLite,
    /// <c>mifactors.db</c> in the working directory). The plugin's other settings stay those of <c>hocon/pmip.conf</c>,
    /// so it comes after <see cref="WithPmipDefaults"/>, which this call makes sure of.
    /// </summary>
    /// <param name="builder">The node's builder.</param>
    /// <param name="providerName">A linq2db provider: <c>SQLite.MS</c> or <c>PostgreSQL.15</c>.</param>
    /// <param name="connectionString">The database's connection string.</param>
    public static AkkaConfigurationBuilder WithPmipPersistence(this AkkaConfigurationBuilder builder, string providerName, string connectionString) =>
        builder.WithPmipDefaults().WithSqlPersistence(connectionString, providerName);

    /// <summary>Starts an LMA with the system.</summary>
    public static AkkaConfigurationBuilder WithPmipLma(this AkkaConfigurationBuilder builder, LmaRoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder.WithPmipDefaults().WithActors((system, registry) =>
        {
            var lma = options.Transport is { } transport
                ? Lma.Start(system, transport, options.Associations, name: options.Name)
                : Lma.Start(system, options.Address, options.Associations, options.Name);
            registry.TryRegister<Lma>(lma.Ref);
        });
    }

    /// <summary>Starts a MAG with the system.</summary>
    public static AkkaConfigurationBuilder WithPmipMag(this AkkaConfigurationBuilder builder, MagRoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder.WithPmipDefaults().WithActors((system, registry) =>
        {
            var mag = options.Transport is { } transport
                ? Mag.Start(system, transport, options.Associations, options.Lma, options.AccessTechnology, name: options.Name)
                : Mag.Start(system, options.Address, options.Associations, options.Lma, options.AccessTechnology, options.Name);
            registry.TryRegister<Mag>(mag.Ref);
        });
    }
}
