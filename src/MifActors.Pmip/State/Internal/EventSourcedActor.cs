using MifActors.Actors;
using MifActors.Actors.Stash;
using MifActors.Actors.Timers;

namespace MifActors.Pmip.State.Internal;

/// <summary>
/// An actor whose state is the fold of its events: every change goes through <see cref="Persist{TEvent}"/>, which
/// applies the event and runs the continuation only once the store says it is durable, so a reply sent from the
/// continuation never announces state that a crash could lose. On start (and restart) the events are replayed
/// through <see cref="Apply"/>, then <see cref="OnRecovered"/> re-arms timers. Until then, and while writes are in
/// flight, other messages wait in the stash; writes complete in the order they were made.
/// </summary>
internal abstract class EventSourcedActor : ReceiveActor, IWithStash, IWithTimers
{
    private readonly IMobilityStateStore store;
    private readonly Queue<Action> inFlight = new();
    private bool recovering;
    private long sequenceNr;

    protected EventSourcedActor(string persistenceId, IMobilityStateStore store)
    {
        PersistenceId = persistenceId;
        this.store = store;
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    protected string PersistenceId { get; }

    /// <summary>Folds one event into the state. Runs on recovery and after each durable write; never sends.</summary>
    protected abstract void Apply(object @event);

    /// <summary>The state is back: re-arm timers, expire what lapsed while down.</summary>
    protected abstract void OnRecovered();

    protected override void PreStart()
    {
        var loading = store.LoadAsync(PersistenceId);
        if (loading.IsCompletedSuccessfully)
        {
            Recover(loading.Result);
            return;
        }

        recovering = true;
        Wait();
        var self = Self;
        loading.AsTask().ContinueWith(t => self.Tell(t.IsCompletedSuccessfully ? new Loaded(t.Result) : new Failed(t.Exception!)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Makes the event durable, then applies it and runs <paramref name="then"/>.</summary>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent>? then = null)
        where TEvent : notnull
    {
        var write = store.PersistAsync(PersistenceId, ++sequenceNr, @event);
        if (inFlight.Count == 0 && !recovering && write.IsCompletedSuccessfully)
        {
            Apply(@event);
            then?.Invoke(@event);
            return;
        }

        inFlight.Enqueue(() =>
        {
            Apply(@event);
            then?.Invoke(@event);
        });
        if (inFlight.Count == 1 && !recovering) Wait();
        var self = Self;

        // The store completes writes in order, so the n-th acknowledgement means the first n events are durable,
        // whichever order the acknowledgements reach the mailbox in.
        write.AsTask().ContinueWith(t => self.Tell(t.IsCompletedSuccessfully ? Written.Instance : new Failed(t.Exception!)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Recover(IReadOnlyList<object> events)
    {
        // The store numbers nothing itself: the next event follows the last one read back.
        sequenceNr = events.Count;
        foreach (var @event in events) Apply(@event);
        OnRecovered();
    }

    private void Wait() => BecomeStacked(() =>
    {
        Receive<Loaded>(loaded =>
        {
            recovering = false;
            Recover(loaded.Events);
            Resume();
        });
        Receive<Written>(_ =>
        {
            inFlight.Dequeue()();
            Resume();
        });
        Receive<Failed>(failed => throw new InvalidOperationException($"the state store failed for {PersistenceId}; restarting to recover", failed.Cause));
        ReceiveAny(_ => Stash.Stash());
    });

    private void Resume()
    {
        if (recovering || inFlight.Count > 0) return;
        Context.UnbecomeStacked();
        Stash.UnstashAll();
    }

    private sealed record Loaded(IReadOnlyList<object> Events);

    private sealed record Written
    {
        public static Written Instance { get; } = new();
    }

    private sealed record Failed(Exception Cause);
}
