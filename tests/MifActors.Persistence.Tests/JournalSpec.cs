using System.Text;
using MifActors.Actors;
using MifActors.Persistence.Internal;
using MifActors.Persistence.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace MifActors.Persistence.Tests;

/// <summary>What every journal store must do; subclassed per store.</summary>
public abstract class JournalSpec(IConfiguration configuration, StoreSettings settings) : TestKit.TestKit(configuration: configuration)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    protected StoreSettings Store { get; } = settings;

    private static string NewPersistenceId() => "p-" + Guid.NewGuid().ToString("N");

    private IActorRef StartRecovered(string pid, MifActors.TestKit.TestProbe? probe = null)
    {
        probe ??= TestActor;
        var actor = Sys.ActorOf(RecordingActor.Props(pid, probe));
        probe.ExpectMsg<Recovered>(Long);
        return actor;
    }

    [Fact]
    public void Persisted_events_are_recovered_in_order_by_a_new_incarnation()
    {
        var pid = NewPersistenceId();
        var first = StartRecovered(pid);
        foreach (var v in new[] { "a", "b", "c" })
        {
            first.Tell(new Add(v), TestActor);
            ExpectMsg<Persisted>(p => p.Value == v, Long);
        }

        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        var recovered = ExpectMsg<Recovered>(Long);
        Assert.Equal(["a", "b", "c"], recovered.Values);
        Assert.Equal(3, recovered.LastSequenceNr);
    }

    [Fact]
    public void A_command_sent_while_an_event_is_persisting_waits_until_its_handler_ran()
    {
        var actor = StartRecovered(NewPersistenceId());
        actor.Tell(new Add("x"), TestActor);
        actor.Tell(new GetState(), TestActor);
        ExpectMsg<Persisted>(Long);
        var state = ExpectMsg<State>(Long);
        Assert.Equal(["x"], state.Values);
        Assert.Equal(1, state.LastSequenceNr);
    }

    [Fact]
    public void PersistAll_runs_the_handler_for_each_event_with_consecutive_sequence_numbers()
    {
        var pid = NewPersistenceId();
        var actor = StartRecovered(pid);
        actor.Tell(new AddAll(["a", "b", "c"]), TestActor);
        actor.Tell(new GetState(), TestActor);
        Assert.Equal([1L, 2L, 3L], ReceiveN(3, Long).Cast<Persisted>().Select(p => p.SequenceNr));
        Assert.Equal(["a", "b", "c"], ExpectMsg<State>(Long).Values);
    }

    [Fact]
    public void PersistAsync_handlers_and_DeferAsync_run_in_the_order_they_were_called()
    {
        var actor = StartRecovered(NewPersistenceId());
        actor.Tell(new AddAsync("1"), TestActor);
        actor.Tell(new AddAsync("2"), TestActor);
        Assert.Equal(new Persisted("1", 1), ExpectMsg<Persisted>(Long));
        Assert.Equal("deferred 1", ExpectMsg<string>(Long));
        Assert.Equal(new Persisted("2", 2), ExpectMsg<Persisted>(Long));
        Assert.Equal("deferred 2", ExpectMsg<string>(Long));
    }

    [Fact]
    public void Concurrent_persists_from_many_actors_are_all_stored()
    {
        const int actors = 20;
        const int events = 10;
        var pids = Enumerable.Range(0, actors).Select(_ => NewPersistenceId()).ToList();
        var refs = pids.Select(pid => StartRecovered(pid)).ToList();
        for (var i = 0; i < events; i++)
        {
            foreach (var actor in refs) actor.Tell(new Add(i.ToString()), TestActor);
        }

        ReceiveN(actors * events, Long);
        var probe = CreateTestProbe();
        foreach (var pid in pids)
        {
            Sys.ActorOf(RecordingActor.Props(pid, probe));
            Assert.Equal(Enumerable.Range(0, events).Select(i => i.ToString()), probe.ExpectMsg<Recovered>(Long).Values);
        }
    }

    [Fact]
    public void Deleting_events_keeps_the_highest_sequence_number_so_new_events_continue_after_it()
    {
        var pid = NewPersistenceId();
        var actor = StartRecovered(pid);
        actor.Tell(new AddAll(["a", "b", "c"]), TestActor);
        ReceiveN(3, Long);
        actor.Tell(new DeleteEvents(3), TestActor);
        ExpectMsg<DeleteMessagesSuccess>(Long);
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        var again = StartRecoveredWith(pid, out var recovered);
        Assert.Empty(recovered.Values);
        Assert.Equal(3, recovered.LastSequenceNr);
        again.Tell(new Add("d"), TestActor);
        Assert.Equal(new Persisted("d", 4), ExpectMsg<Persisted>(Long));
    }

    [Fact]
    public async Task A_tagged_event_is_stored_with_its_tags_comma_separated_and_recovered_without_the_wrapper()
    {
        var pid = NewPersistenceId();
        var actor = StartRecovered(pid);
        actor.Tell(new AddTagged("a", ["ffe", "mag-1"]), TestActor);
        actor.Tell(new Add("b"), TestActor);
        Assert.Equal(new Persisted("a", 1), ExpectMsg<Persisted>(Long));
        Assert.Equal(new Persisted("b", 2), ExpectMsg<Persisted>(Long));
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        await using (var store = Stores.Journal(Store))
        {
            Assert.Equal(["ffe,mag-1", null], (await ReadAllAsync(store, pid)).Select(r => r.Tags));
        }

        Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        Assert.Equal(["a", "b"], ExpectMsg<Recovered>(Long).Values);
    }

    [Fact]
    public async Task A_stale_writer_cannot_reuse_a_sequence_number_that_DeleteMessages_removed()
    {
        var pid = NewPersistenceId();
        await using var store = Stores.Journal(Store);
        await store.WriteAsync([new AtomicWrite([.. Enumerable.Range(1, 3).Select(i => Row(pid, i, i.ToString(), "writer-1"))])], CancellationToken.None);
        await store.DeleteMessagesToAsync(pid, 3, CancellationToken.None);

        // A writer that recovered before the delete still believes sequence number 2 is its next one.
        var conflict = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync([Write(pid, 2, "stale", "writer-stale")], CancellationToken.None));
        Assert.IsType<SequenceConflictException>(conflict);
        Assert.Empty(await ReadAllAsync(store, pid));
        Assert.Equal(3, await store.ReadHighestSequenceNrAsync(pid, CancellationToken.None));
    }

    [Fact]
    public async Task A_second_writer_for_the_same_sequence_number_is_refused_and_nothing_interleaves()
    {
        var pid = NewPersistenceId();
        await using var store = Stores.Journal(Store);
        await store.WriteAsync([Write(pid, 1, "a", "writer-1")], CancellationToken.None);
        var conflict = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync([Write(pid, 1, "b", "writer-2")], CancellationToken.None));
        Assert.IsType<SequenceConflictException>(conflict);
        Assert.Contains(pid, conflict.Message);
        var rows = await ReadAllAsync(store, pid);
        Assert.Equal(["writer-1"], rows.Select(r => r.WriterUuid));
    }

    [Fact]
    public async Task A_store_that_refused_a_conflicting_write_stores_the_next_write()
    {
        var pid = NewPersistenceId();
        var other = NewPersistenceId();
        await using var store = Stores.Journal(Store);
        await store.WriteAsync([Write(pid, 1, "a", "writer-1")], CancellationToken.None);
        await Assert.ThrowsAsync<SequenceConflictException>(() => store.WriteAsync([Write(pid, 1, "b", "writer-2")], CancellationToken.None));
        await store.WriteAsync([Write(other, 1, "c", "writer-3")], CancellationToken.None);
        Assert.Equal(["writer-3"], (await ReadAllAsync(store, other)).Select(r => r.WriterUuid));
    }

    [Fact]
    public void A_second_actor_with_the_same_persistence_id_fails_on_its_first_conflicting_write()
    {
        var pid = NewPersistenceId();
        var first = StartRecovered(pid);
        var secondProbe = CreateTestProbe();
        var second = StartRecovered(pid, secondProbe);
        first.Tell(new Add("from first"), TestActor);
        ExpectMsg<Persisted>(Long);
        secondProbe.Watch(second);
        second.Tell(new Add("from second"), secondProbe);
        Assert.IsType<SequenceConflictException>(secondProbe.ExpectMsg<PersistFailed>(Long).Cause);
        secondProbe.ExpectTerminated(second, Long);

        Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        Assert.Equal(["from first"], ExpectMsg<Recovered>(Long).Values);
    }

    [Fact]
    public async Task An_unknown_manifest_fails_recovery_naming_the_persistence_id_and_sequence_number()
    {
        var pid = NewPersistenceId();
        await using (var store = Stores.Journal(Store))
        {
            await store.WriteAsync([Write(pid, 1, "a", "w")], CancellationToken.None);
            await store.WriteAsync([new AtomicWrite([new JournalRow(pid, 2, 0, "test.no-such-event.v1", "{}"u8.ToArray(), "w")])], CancellationToken.None);
        }

        var actor = Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        Watch(actor);
        var failed = ExpectMsg<RecoveryFailed>(Long);
        Assert.Contains(pid, failed.Message);
        Assert.Contains("sequence number 2", failed.Message);
        Assert.Contains("test.no-such-event.v1", failed.Message);
        ExpectTerminated(actor, Long);
    }

    [Fact]
    public async Task A_corrupt_payload_fails_recovery_naming_the_persistence_id_and_sequence_number()
    {
        var pid = NewPersistenceId();
        await using (var store = Stores.Journal(Store))
        {
            await store.WriteAsync([new AtomicWrite([new JournalRow(pid, 1, 0, "test.added.v1", Encoding.UTF8.GetBytes("{\"Value\": tru"), "w")])], CancellationToken.None);
        }

        Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        var failed = ExpectMsg<RecoveryFailed>(Long);
        Assert.Contains(pid, failed.Message);
        Assert.Contains("sequence number 1", failed.Message);
    }

    [Fact]
    public async Task Replay_honours_the_range_and_the_limit()
    {
        var pid = NewPersistenceId();
        await using var store = Stores.Journal(Store);
        await store.WriteAsync([new AtomicWrite([.. Enumerable.Range(1, 10).Select(i => Row(pid, i, i.ToString(), "w"))])], CancellationToken.None);
        var rows = new List<JournalRow>();
        await foreach (var row in store.ReplayAsync(pid, 3, 8, 4, CancellationToken.None)) rows.Add(row);
        Assert.Equal([3L, 4L, 5L, 6L], rows.Select(r => r.SequenceNr));
        Assert.Equal(10, await store.ReadHighestSequenceNrAsync(pid, CancellationToken.None));
        Assert.Equal(0, await store.ReadHighestSequenceNrAsync(NewPersistenceId(), CancellationToken.None));
    }

    [Fact]
    public void Persisting_a_type_without_a_manifest_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PersistentSerializer.Serialize(new Add("no manifest")));
        Assert.Contains("[PersistentManifest(", error.Message);
        Assert.Contains(typeof(Add).FullName!, error.Message);
    }

    private IActorRef StartRecoveredWith(string pid, out Recovered recovered)
    {
        var actor = Sys.ActorOf(RecordingActor.Props(pid, TestActor));
        recovered = ExpectMsg<Recovered>(Long);
        return actor;
    }

    private static JournalRow Row(string pid, long seq, string value, string writer) =>
        new(pid, seq, 0, "test.added.v1", Encoding.UTF8.GetBytes($"{{\"Value\":\"{value}\"}}"), writer);

    private static AtomicWrite Write(string pid, long seq, string value, string writer) => new([Row(pid, seq, value, writer)]);

    private static async Task<List<JournalRow>> ReadAllAsync(IJournalStore store, string pid)
    {
        var rows = new List<JournalRow>();
        await foreach (var row in store.ReplayAsync(pid, 1, long.MaxValue, long.MaxValue, CancellationToken.None)) rows.Add(row);
        return rows;
    }
}
