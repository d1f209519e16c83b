namespace MifActors.TestKit;

/// <summary>
/// A clock that moves only when told: <see cref="Advance"/> fires every timer that falls due, in due order, at
/// its due time. With a TestKit, each firing waits until the actor system is idle before the next, so chains of
/// timers and messages play out deterministically: minutes of protocol time run in milliseconds.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly object gate = new();
    private readonly List<VirtualTimer> timers = [];
    private DateTimeOffset now;
    private long sequence;

    public VirtualTimeProvider(DateTimeOffset? start = null)
    {
        now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        StartTime = now;
    }

    /// <summary>Called after each timer fires, before the next: the TestKit waits for the system to be idle here.</summary>
    public Action? AfterEachFiring { get; set; }

    public DateTimeOffset StartTime { get; }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers that are armed.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (gate) return timers.Count(t => t.Due is not null);
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return now;
    }

    public override long GetTimestamp()
    {
        lock (gate) return (now - StartTime).Ticks;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        lock (gate)
        {
            timers.Add(timer);
            Arm(timer, dueTime, period);
        }

        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing what falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (gate) target = now + by;
        AfterEachFiring?.Invoke();
        while (true)
        {
            VirtualTimer? next;
            lock (gate)
            {
                next = null;
                foreach (var timer in timers)
                {
                    if (timer.Due is { } due && due <= target && (next is null || due < next.Due || (due == next.Due && timer.Order < next.Order)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    now = target;
                    return;
                }

                now = next.Due!.Value;
                if (next.Period is { } period)
                {
                    next.Due = now + period;
                }
                else
                {
                    next.Due = null;
                }
            }

            next.Callback(next.State);
            AfterEachFiring?.Invoke();
        }
    }

    /// <summary>Sets the clock to <paramref name="time"/>, firing what falls due before it.</summary>
    public void AdvanceTo(DateTimeOffset time) => Advance(time - GetUtcNow());

    private void Arm(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
        timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
        timer.Order = ++sequence;
    }

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public long Order { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                if (!owner.timers.Contains(this)) return false;
                owner.Arm(this, dueTime, period);
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner.gate) owner.timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
