using MifActors.Testing;
using MifActors.Actors;
using MifActors.Actors.Supervision;
using MifActors.Persistence.Tests.Support;

namespace MifActors.Persistence.Tests;

/// <summary>The store goes away and comes back: the actor stops, a backoff supervisor restarts it, it recovers.</summary>
public sealed class FaultSpec
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private static Props Supervised(string pid, IActorRef probe) => BackoffSupervisor.Props(new BackoffOptions(
        RecordingActor.Props(pid, probe), "child", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), 0, null, BackoffMode.OnStop));

    /// <summary>Advances virtual time a backoff step at a time until the restarted child recovered.</summary>
    private static Recovered AdvanceUntilRecovered(TestKit.TestKit kit)
    {
        for (var i = 0; i < 30; i++)
        {
            kit.Advance(TimeSpan.FromSeconds(1));
            try
            {
                return kit.ExpectMsg<Recovered>(TimeSpan.FromMilliseconds(300));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // not restarted yet: the backoff timer is still pending
            }
        }

        throw new TimeoutException("the supervised actor did not recover after 30 s of virtual time");
    }

    [Fact]
    public void A_database_missing_at_start_stops_the_actor_and_the_backoff_supervisor_restarts_it_once_it_is_there()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mifactors-missing-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(directory, "journal.db");
        try
        {
            using var kit = new Kit(StoreConfiguration.For("sqlite", StoreConfiguration.Sqlite(file)));
            kit.Sys.ActorOf(Supervised("fault-start", kit.TestActor));
            var failed = kit.ExpectMsg<RecoveryFailed>(Long);
            Assert.Contains("unable to open database", failed.Message);

            Directory.CreateDirectory(directory);
            var recovered = AdvanceUntilRecovered(kit);
            Assert.Empty(recovered.Values);
        }
        finally
        {
            StoreConfiguration.DeleteSqlite(file);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_database_lost_mid_run_fails_the_persist_and_the_restarted_actor_recovers_when_it_is_back()
    {
        using var server = PostgreSqlServer.StartOwn();
        using var kit = new Kit(StoreConfiguration.For("postgresql", server.ConnectionString));
        var supervisor = kit.Sys.ActorOf(Supervised("fault-mid-run", kit.TestActor));
        kit.ExpectMsg<Recovered>(Long);
        supervisor.Tell(new Add("a"), kit.TestActor);
        Assert.Equal(new Persisted("a", 1), kit.ExpectMsg<Persisted>(Long));

        server.Stop();
        supervisor.Tell(new Add("b"), kit.TestActor);
        Assert.Equal(2, kit.ExpectMsg<PersistFailed>(Long).SequenceNr);

        server.Start();
        var recovered = AdvanceUntilRecovered(kit);
        Assert.Equal(["a"], recovered.Values);
        supervisor.Tell(new Add("c"), kit.TestActor);
        Assert.Equal(new Persisted("c", 2), kit.ExpectMsg<Persisted>(Long));
    }

    private sealed class Kit(Microsoft.Extensions.Configuration.IConfiguration configuration)
        : TestKit.TestKit(configuration: configuration, virtualTime: true);
}
