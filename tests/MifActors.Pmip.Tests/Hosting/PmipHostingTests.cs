using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MifActors.Pmip.Hosting;
using MifActors.Pmip.LocalMobilityAnchor;
using MifActors.Pmip.MobilityAccessGateway;
using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Transport;
using MifActors.Pmip.Wire;
using static MifActors.Pmip.Tests.Support.RealTime;

namespace MifActors.Pmip.Tests.Hosting;

/// <summary>A node composed with Akka.Hosting the way the daemon does it: AddAkka, the PMIP roles, the SQL journal.</summary>
public sealed class PmipHostingTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), "mifactors-hosted-" + Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public async Task A_hosted_node_with_both_roles_registers_an_MN_on_the_SQL_journal_and_logs_through_Microsoft_Extensions_Logging()
    {
        var network = new InMemoryMobilityNetwork();
        using var host = Host.CreateDefaultBuilder().ConfigureServices(services => services.AddAkka("hosted", (builder, _) =>
        {
            builder
                .AddHocon(Akka.Configuration.ConfigurationFactory.ParseString(PmipTestConfig.Policy), HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithPmipPersistence("SQLite.MS", $"Data Source={file}")
                .WithPmipLma(new LmaRoleOptions(PmipLab.LmaAddress, PmipLab.LmaAssociations()) { Transport = network.Attach(PmipLab.LmaAddress) })
                .WithPmipMag(new MagRoleOptions(PmipLab.CellularAddress, PmipLab.MagAssociations(PmipLab.CellularKey, 0x200), PmipLab.LmaAddress,
                    AccessTechnologyType.EUtran) { Transport = network.Attach(PmipLab.CellularAddress) });
        })).Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            var lma = PmipNodes.Get(system).Lma() ?? throw new InvalidOperationException("no LMA started");
            Assert.Equal(lma.Ref, await registry.GetAsync<Lma>());
            var mag = await registry.GetAsync<Mag>();

            mag.Tell(new MobileNodeAttached(PmipLab.MobileNode, PmipLab.CellularPrefix));

            await Eventually(() => Task.FromResult(lma.Route(PmipLab.Www) == new MagAddress(PmipLab.CellularAddress)));
            Assert.Equal("www", lma.Settings.Policy.Classes[0].Name);
            Assert.Equal($"Data Source={file}", system.Settings.Config.GetString("akka.persistence.journal.sql.connection-string"));
            Assert.Equal(100, system.Settings.Config.GetInt("akka.persistence.journal.sql.batch-size"));
        }
        finally
        {
            await host.StopAsync();
        }

        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var count = new SqliteCommand("SELECT COUNT(*) FROM journal WHERE manifest = 'lma-bce-created.v1'", connection);
        Assert.Equal(1L, (long)count.ExecuteScalar()!);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
    }
}
