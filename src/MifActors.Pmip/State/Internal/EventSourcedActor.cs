using MifActors.Actors;
using MifActors.Actors.Stash;
using MifActors.Actors.Timers;

namespace MifActors.Pmip.State.Internal;

/// <summary>
/// An actor whose state is the fold of its events: every change goes through <see cref="Persist{TEvent}"/>, which
/// applies the event and runs the continuation only once the store says it is durable, so a reply sent from the
/// continuation never announces state that a crash could lose. On start (and restart) the events are replayed
/// through <see cref="Apply"/>, then <see cref="OnRecovered"/> re-arms timers. Until then, and while a write is in
/// flight, other messages wait in the stash. This is the seam ReceivePersistentActor replaces.
/// </summary>
internal abstract class EventSourcedActor : ReceiveActor, IWithStash, IWithTimers
{
    private readonly IMobilityStateStore store;

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

        var self = Self;
        loading.AsTask().ContinueWith(t => self.Tell(t.IsCompletedSuccessfully ? new Loaded(t.Result) : new Failed(t.Exception!)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Wait(onLoaded: events => Recover(events));
    }

    /// <summary>Makes the event durable, applies it, then runs <paramref name="then"/>.</summary>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent>? then = null)
        where TEvent : notnull
    {
        var write = store.PersistAsync(PersistenceId, @event);
        if (write.IsCompletedSuccessfully)
        {
            Apply(@event);
            then?.Invoke(@event);
            return;
        }

        var self = Self;
        write.AsTask().ContinueWith(t => self.Tell(t.IsCompletedSuccessfully ? new Loaded([]) : new Failed(t.Exception!)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Wait(onLoaded: _ =>
        {
            Apply(@event);
            then?.Invoke(@event);
        });
    }

    private void Recover(IReadOnlyList<object> events)
    {
        foreach (var @event in events) Apply(@event);
        OnRecovered();
    }

    private void Wait(Action<IReadOnlyList<object>> onLoaded) => BecomeStacked(() =>
    {
        Receive<Loaded>(loaded =>
        {
            Context.UnbecomeStacked();
            onLoaded(loaded.Events);
            Stash.UnstashAll();
        });
        Receive<Failed>(failed => throw new InvalidOperationException($"the state store failed for {PersistenceId}; restarting to recover", failed.Cause));
        ReceiveAny(_ => Stash.Stash());
    });

    private sealed record Loaded(IReadOnlyList<object> Events);

    private sealed record Failed(Exception Cause);
}
