using MifActors.Actors;
using MifActors.Persistence.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace MifActors.Persistence.Tests;

/// <summary>The journal writer's tuning keys: read from the configuration, refused with the key's name when wrong.</summary>
public sealed class JournalTuningSpec
{
    // Never connected to: a PostgreSQL journal opens its first connection on its first write.
    private const string UnusedServer = "Host=/nonexistent-mifactors-socket-dir;Username=nobody";

    [Fact]
    public void A_postgresql_journal_runs_as_many_writer_lanes_as_configured()
    {
        using var system = Create(("postgresql:writer-lanes", "3"), ("max-rows-per-transaction", "500"));
        var persistence = Persistence.Get(system);
        Assert.Equal(3, persistence.JournalWriter.LaneCount);
        Assert.Equal(500, persistence.JournalTuning.MaxRowsPerTransaction);
    }

    [Fact]
    public void The_reference_configuration_gives_every_tuning_key_a_value()
    {
        using var system = Create();
        var tuning = Persistence.Get(system).JournalTuning;
        Assert.True(tuning.MaxRowsPerTransaction > 1);
        Assert.True(tuning.PostgreSqlWriterLanes > 1);
    }

    [Theory]
    [InlineData("postgresql:writer-lanes", "0", "mifactors.persistence.journal.postgresql.writer-lanes")]
    [InlineData("max-rows-per-transaction", "many", "mifactors.persistence.journal.max-rows-per-transaction")]
    public void A_tuning_value_that_is_not_a_positive_whole_number_is_refused_naming_the_key(string key, string value, string name)
    {
        using var system = Create((key, value));
        var error = Assert.Throws<InvalidOperationException>(() => Persistence.Get(system));
        Assert.Contains(name, error.Message);
        Assert.Contains($"\"{value}\"", error.Message);
    }

    private static ActorSystem Create(params (string Key, string Value)[] journal)
    {
        var builder = new ConfigurationBuilder().AddConfiguration(StoreConfiguration.For("postgresql", UnusedServer));
        builder.AddInMemoryCollection(journal.Select(k => new KeyValuePair<string, string?>("mifactors:persistence:journal:" + k.Key, k.Value)));
        return ActorSystem.Create("tuning-" + Guid.NewGuid().ToString("N"), new ActorSystemOptions { Configuration = builder.Build() });
    }
}
