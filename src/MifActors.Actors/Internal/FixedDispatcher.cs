using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MifActors.Actors.Internal;

/// <summary>
/// The system's own worker threads. A mailbox told from a turn goes to that worker's next slot and runs right after
/// the turn, on the same core as the message; a mailbox rescheduled after its throughput, or displaced from the slot,
/// goes to the back of the worker's FIFO queue; one told from another thread goes to a shared queue. An idle worker
/// steals from the others' queues, and from their next slots once it has spun for a while. An idle worker spins for <see cref="DispatcherSettings.IdleSpin"/> before it parks, and a
/// parked worker is woken only when no worker is spinning, so a busy system hands work over without a futex call.
/// </summary>
/// <remarks>
/// The wake-up protocol is a pair of Dekker handshakes. A producer enqueues (an interlocked write) and then reads
/// <see cref="spinning"/> and <see cref="parkedCount"/>; a worker that parks first registers as parked, then
/// decrements <see cref="spinning"/> (a full fence) and then looks at the queues once more. So either the producer
/// sees the worker spinning or parked, or the worker sees the work. A spinner that finds work and was the last one
/// looks again after it stops counting as spinning, and wakes a parked worker for whatever else waits.
/// </remarks>
internal sealed class FixedDispatcher : Dispatcher
{
    private const int GlobalQueueEvery = 61; // how often a worker with local work looks at the shared queue first
    private const int NextStreakLimit = 16;  // turns in a row from the next slot before the queue gets its turn

    [ThreadStatic]
    private static Worker? current;

    private readonly ActorSystem system;
    private readonly ConcurrentQueue<IThreadPoolWorkItem> shared = new(); // mailboxes, and the odd AfterQueued marker
    private readonly Worker[] workers;
    private readonly List<Worker> parked = [];   // under parkLock
    private readonly Lock parkLock = new();
    private readonly long idleSpinTicks;
    private readonly int maxExtraThreads;
    private readonly Timer? starvationTimer;
    private readonly Meter meter;
    private readonly Lock extrasLock = new();
    private Worker[] extras = [];                // copied on write under extrasLock; read by the starvation check
    private volatile int parkedCount;
    private volatile bool stopping;
    private int spinning;
    private int starvationLogged;

    public FixedDispatcher(ActorSystem system, DispatcherSettings settings)
    {
        this.system = system;
        idleSpinTicks = (long)(settings.IdleSpin.TotalSeconds * Stopwatch.Frequency);
        maxExtraThreads = settings.MaxExtraThreads;
        workers = new Worker[settings.Threads];
        for (var i = 0; i < workers.Length; i++) workers[i] = new Worker(this, i, new ConcurrentQueue<IThreadPoolWorkItem>());
        meter = CreateMeter(system.Name);
        foreach (var worker in workers) worker.Start($"{system.Name}-actor-{worker.Index}");
        if (settings.StarvationCheck > TimeSpan.Zero && maxExtraThreads > 0)
        {
            starvationTimer = new Timer(static state => ((FixedDispatcher)state!).CheckForStarvation(), this, settings.StarvationCheck, settings.StarvationCheck);
        }
    }

    /// <summary>Workers asleep until a producer wakes them; for tests that check idle workers stop spinning.</summary>
    internal int ParkedWorkers => parkedCount;

    /// <summary>
    /// How the idle spins go, as counters of a meter named <see cref="MeterName"/> tagged with the system's name: what
    /// spinning buys (spins that found work) against what it costs other threads (spins that ended parked, and the
    /// wake-ups those need). Observable counters, so the workers pay one unshared increment each and nothing more.
    /// </summary>
    private Meter CreateMeter(string systemName)
    {
        var created = new Meter(MeterName);
        var tags = new KeyValuePair<string, object?>[] { new("system", systemName) };
        created.CreateObservableCounter("mifactors.dispatcher.spins-that-found-work", () => new Measurement<long>(Sum(static w => w.SpinsThatFoundWork), tags));
        created.CreateObservableCounter("mifactors.dispatcher.parks", () => new Measurement<long>(Sum(static w => w.Parks), tags));
        created.CreateObservableCounter("mifactors.dispatcher.wakes", () => new Measurement<long>(Sum(static w => w.Wakes), tags));
        return created;
    }

    // Read while the workers run: each term is a torn-free int, the sum only roughly a snapshot.
    private long Sum(Func<Worker, int> counter) => workers.Sum(w => (long)counter(w));

    /// <summary>The name of the meter with the fixed dispatcher's idle-spin counters.</summary>
    public const string MeterName = "MifActors.Actors.Dispatcher";

    /// <summary>The worker threads, extra ones included, for tests that check they exit.</summary>
    internal IEnumerable<Thread> Threads => workers.Concat(Volatile.Read(ref extras)).Select(w => w.Thread);

    public override void Schedule(ActorCell cell)
    {
        if (current is { Local: { } local } worker && ReferenceEquals(worker.Dispatcher, this))
        {
            // Told from a turn: run it next on this thread, where the message is still in cache; what held the slot
            // goes to the back of the queue. The slot alone wakes nobody: this worker runs it as soon as the turn ends,
            // and a turn that does not end is the starvation check's business.
            if (Interlocked.Exchange(ref worker.Next, cell) is not { } displaced) return;
            local.Enqueue(displaced);
        }
        else
        {
            EnqueueShared(cell);
        }

        WakeIfNobodyIsLooking();
    }

    public override void Reschedule(ActorCell cell)
    {
        // Behind what arrived from outside, if anything did: otherwise a busy mailbox would go round its worker's queue
        // and the shared queue would wait for the occasional look a worker takes at it.
        if (current is { Local: { } local } worker && ReferenceEquals(worker.Dispatcher, this) && shared.IsEmpty)
        {
            // Alone in the queue, it runs next on this thread: waking another worker would only make it spin for nothing.
            var alone = local.IsEmpty;
            local.Enqueue(cell);
            if (alone) return;
        }
        else
        {
            EnqueueShared(cell);
        }

        WakeIfNobodyIsLooking();
    }

    public override void AfterQueued(IThreadPoolWorkItem item)
    {
        // Behind what this thread scheduled: from a turn (or code running inside one) that is this worker's queue,
        // from elsewhere the shared queue.
        if (current is { Local: { } local } worker && ReferenceEquals(worker.Dispatcher, this)) local.Enqueue(item);
        else EnqueueShared(item);
        WakeIfNobodyIsLooking();
    }

    public override void Shutdown()
    {
        stopping = true;
        starvationTimer?.Dispose();
        meter.Dispose();
        Worker[] toWake;
        lock (parkLock)
        {
            toWake = [.. parked];
            foreach (var worker in toWake) worker.IsParked = false;
            parked.Clear();
            parkedCount = 0;
            Interlocked.Add(ref spinning, toWake.Length); // the woken count as spinning until they leave
        }

        foreach (var worker in toWake) worker.Signal();
    }

    private void EnqueueShared(IThreadPoolWorkItem cell)
    {
        shared.Enqueue(cell);
        if (stopping && shared.TryDequeue(out var late))
        {
            // After shutdown no worker reads the shared queue; the thread pool runs what still arrives.
            ThreadPool.UnsafeQueueUserWorkItem(late, preferLocal: false);
        }
    }

    private void WakeIfNobodyIsLooking()
    {
        // Both reads follow the enqueue's interlocked write (see the remarks).
        if (parkedCount != 0 && Volatile.Read(ref spinning) == 0) WakeOne();
    }

    private void WakeOne()
    {
        Worker worker;
        lock (parkLock)
        {
            if (Volatile.Read(ref spinning) != 0 || parked.Count == 0) return;
            worker = parked[^1];
            parked.RemoveAt(parked.Count - 1);
            worker.IsParked = false;
            parkedCount = parked.Count;
            Interlocked.Increment(ref spinning); // on its behalf, so that other producers do not wake a second one
        }

        worker.Signal();
    }

    private bool HasQueuedWork()
    {
        if (!shared.IsEmpty) return true;
        foreach (var worker in workers)
        {
            // Not the next slots: their owners run them after the turn in hand, so an idle worker need not stay up for them.
            if (!worker.Local!.IsEmpty) return true;
        }

        return false;
    }

    /// <param name="self">The worker looking.</param>
    /// <param name="takeNextSlots">
    /// Also take what another worker keeps in its next slot. Only after a whole idle spin: by then that worker has
    /// been inside one turn for a while (a long or blocking one), and the mailbox should not wait for it.
    /// </param>
    private IThreadPoolWorkItem? FindWork(Worker self, bool takeNextSlots)
    {
        IThreadPoolWorkItem? cell;
        if (self.Local is { } local)
        {
            if (++self.Ticks % GlobalQueueEvery == 0 && shared.TryDequeue(out cell)) return cell;
            if (Volatile.Read(ref self.Next) is not null)
            {
                if (self.NextStreak < NextStreakLimit)
                {
                    cell = Interlocked.Exchange(ref self.Next, null);
                    if (cell is not null)
                    {
                        self.NextStreak++;
                        return cell;
                    }
                }
                else if (Interlocked.Exchange(ref self.Next, null) is { } queued)
                {
                    local.Enqueue(queued); // two mailboxes telling each other must not starve the queue
                }
            }

            self.NextStreak = 0;
            if (local.TryDequeue(out cell)) return cell;
        }

        if (shared.TryDequeue(out cell)) return cell;
        var count = workers.Length;
        for (int i = 1, start = self.Index; i <= count; i++)
        {
            var victim = workers[(start + i) % count];
            if (ReferenceEquals(victim, self)) continue;
            if (victim.Local!.TryDequeue(out cell)) return cell;
            if (takeNextSlots && Volatile.Read(ref victim.Next) is not null && Interlocked.Exchange(ref victim.Next, null) is { } stolen) return stolen;
        }

        return null;
    }

    private void Run(Worker self)
    {
        current = self;
        var searching = self.Local is null; // an extra worker starts looking at once, counted by whoever started it
        var searchStarted = Stopwatch.GetTimestamp();
        var spins = 0;
        var woken = false; // searching since a producer woke us: what we find was handed to us, not caught by spinning
        while (true)
        {
            var found = FindWork(self, takeNextSlots: searching && Stopwatch.GetTimestamp() - searchStarted >= idleSpinTicks);
            if (found is not null)
            {
                if (searching)
                {
                    searching = false;
                    if (!woken) self.SpinsThatFoundWork++;
                    woken = false;
                    // The last spinner to stop looks again, for work that a producer left to it (see the remarks).
                    if (Interlocked.Decrement(ref spinning) == 0 && parkedCount != 0 && HasQueuedWork()) WakeOne();
                }

                if (found is not ActorCell cell)
                {
                    // An AfterQueued marker: what queued before it has started. Its continuation is not a turn and may
                    // block (a database write), so it goes to the pool rather than holding this worker.
                    ThreadPool.UnsafeQueueUserWorkItem(found, preferLocal: false);
                    continue;
                }

                Volatile.Write(ref self.TurnsStarted, self.TurnsStarted + 1);
                self.InTurn = true;
                try
                {
                    cell.Execute();
                }
                catch (Exception e)
                {
                    // The turn catches what actors throw; reaching here is a runtime bug, and it must not end the worker.
                    system.LogInternalError(e, $"a turn of {cell.Path} failed on {self.Thread.Name}");
                }

                self.InTurn = false;
                continue;
            }

            if (!searching)
            {
                searching = true;
                Interlocked.Increment(ref spinning);
                searchStarted = Stopwatch.GetTimestamp();
                spins = 0;
                continue;
            }

            if (stopping)
            {
                Interlocked.Decrement(ref spinning);
                return;
            }

            if (Stopwatch.GetTimestamp() - searchStarted < idleSpinTicks)
            {
                // Mostly pause instructions; now and then give the core away, as other processes share it.
                if (++spins % 16 == 0) Thread.Yield();
                else Thread.SpinWait(20);
                continue;
            }

            if (self.Local is null)
            {
                Interlocked.Decrement(ref spinning);
                if (!HasQueuedWork() || stopping)
                {
                    RetireExtra(self);
                    return;
                }

                Interlocked.Increment(ref spinning);
                searchStarted = Stopwatch.GetTimestamp();
                continue;
            }

            woken = Park(self);
            searchStarted = Stopwatch.GetTimestamp();
            spins = 0;
        }
    }

    /// <summary>Sleeps until a producer wakes this worker; returns counted as spinning, and whether it slept.</summary>
    private bool Park(Worker self)
    {
        self.Parks++;
        lock (parkLock)
        {
            self.IsParked = true;
            parked.Add(self);
            parkedCount = parked.Count;
        }

        Interlocked.Decrement(ref spinning); // full fence: the registration is visible before we look again
        if (HasQueuedWork() || stopping)
        {
            lock (parkLock)
            {
                if (self.IsParked)
                {
                    self.IsParked = false;
                    parked.Remove(self);
                    parkedCount = parked.Count;
                    Interlocked.Increment(ref spinning);
                    return false;
                }
            }

            // Someone already took us off the list and counted us as spinning: its signal is on its way.
        }

        self.WaitForSignal();
        return true;
    }

    /// <summary>Adds a thread when every worker has sat in one turn since the last check while work waits.</summary>
    private void CheckForStarvation()
    {
        if (stopping) return;
        var allStuck = true;
        foreach (var worker in workers.Concat(Volatile.Read(ref extras)))
        {
            var turns = Volatile.Read(ref worker.TurnsStarted);
            var stuck = worker.InTurn && turns == worker.TurnsAtLastCheck;
            worker.TurnsAtLastCheck = turns;
            if (!stuck)
            {
                allStuck = false;
            }
            else if (Volatile.Read(ref worker.Next) is not null && Interlocked.Exchange(ref worker.Next, null) is { } waiting)
            {
                // What a long turn told waits behind it: hand it to whoever is free.
                EnqueueShared(waiting);
                WakeIfNobodyIsLooking();
            }
        }

        if (!allStuck || !HasQueuedWork()) return;
        Worker extra;
        lock (extrasLock)
        {
            if (stopping || extras.Length >= maxExtraThreads) return;
            extra = new Worker(this, -1, null);
            extras = [.. extras, extra];
        }

        if (Interlocked.Exchange(ref starvationLogged, 1) == 0)
        {
            system.LogWarning(
                $"every worker thread of actor system \"{system.Name}\" has been inside one turn since the last starvation check while work waits; " +
                "adding a thread (a blocking call inside an actor? see docs/actors.md, \"Dispatcher\"; logged once per system)");
        }

        Interlocked.Increment(ref spinning);
        extra.Start($"{system.Name}-actor-extra");
    }

    private void RetireExtra(Worker self)
    {
        lock (extrasLock)
        {
            extras = [.. extras.Where(w => !ReferenceEquals(w, self))];
        }
    }

    private sealed class Worker(FixedDispatcher dispatcher, int index, ConcurrentQueue<IThreadPoolWorkItem>? local)
    {
        public readonly FixedDispatcher Dispatcher = dispatcher;
        public readonly int Index = index;
        public readonly ConcurrentQueue<IThreadPoolWorkItem>? Local = local; // null for a thread added by the starvation check
        public Thread Thread = null!;
        public ActorCell? Next;           // run next by this worker; taken by others only after an idle spin
        public int Ticks;                 // this worker
        public int NextStreak;            // this worker
        public int TurnsStarted;          // written by this worker, read by the starvation check
        public volatile bool InTurn;
        public int TurnsAtLastCheck;      // the starvation check
        public bool IsParked;             // under parkLock
        public int SpinsThatFoundWork;    // this worker; see CreateMeter
        public int Parks;                 // this worker
        public int Wakes;                 // producers
        private readonly object signalLock = new(); // Monitor.Wait needs an object, not a Lock
        private bool signaled;            // under signalLock

        public void Start(string name)
        {
            Thread = new Thread(() => Dispatcher.Run(this)) { IsBackground = true, Name = name };
            Thread.Start();
        }

        public void Signal()
        {
            Interlocked.Increment(ref Wakes);
            lock (signalLock)
            {
                signaled = true;
                Monitor.Pulse(signalLock);
            }
        }

        public void WaitForSignal()
        {
            lock (signalLock)
            {
                while (!signaled) Monitor.Wait(signalLock);
                signaled = false;
            }
        }
    }
}
