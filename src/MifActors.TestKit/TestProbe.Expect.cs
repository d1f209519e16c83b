using MifActors.Actors;

namespace MifActors.TestKit;

public sealed partial class TestProbe
{
    /// <summary>Takes the next message, which must be a <typeparamref name="T"/>, within <paramref name="max"/>.</summary>
    public T ExpectMsg<T>(TimeSpan? max = null) => ExpectMsg<T>(static _ => true, max, null);

    /// <summary>Takes the next message, which must equal <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? max = null)
        where T : notnull =>
        ExpectMsg<T>(m => Equals(m, expected), max, $"equal to {expected}");

    /// <summary>Takes the next message, which must be a <typeparamref name="T"/> that satisfies <paramref name="predicate"/>.</summary>
    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? max = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var timeout = Remaining(max);
        if (!TryTake(timeout, out var message))
        {
            throw new AssertionFailedException($"{Path}: timeout ({timeout.TotalMilliseconds:0} ms) waiting for {typeof(T).Name}{(hint is null ? "" : " " + hint)}");
        }

        if (message is not T typed)
        {
            throw new AssertionFailedException($"{Path}: expected {typeof(T).Name}{(hint is null ? "" : " " + hint)} but got {Describe(message)}");
        }

        if (!predicate(typed))
        {
            throw new AssertionFailedException($"{Path}: got {Describe(message)}, which is not {(hint ?? "what the predicate expects")}");
        }

        return typed;
    }

    /// <summary>Asserts that no message arrives for <paramref name="duration"/>.</summary>
    public void ExpectNoMsg(TimeSpan? duration = null)
    {
        var wait = duration is { } given ? settings.Dilate(given) : settings.ExpectNoMessageDefault;
        // Inside Within the block's end bounds the wait, and without a duration it is the wait: Within checks the
        // whole block, so waiting past its end could only fail it.
        var blockLeft = WithinLeft();
        var untilBlockEnd = blockLeft is { } left && (duration is null || left < wait);
        if (untilBlockEnd) wait = blockLeft!.Value;
        if (TryTake(wait, out var message))
        {
            throw new AssertionFailedException($"{Path}: expected no message for {wait.TotalMilliseconds:0} ms but got {Describe(message)}");
        }

        // Waking exactly at the block's end is not the block running late.
        if (untilBlockEnd) quietUntilBlockEnd.Value = true;
    }

    /// <summary>Takes the next message, which must be the <see cref="Terminated"/> of <paramref name="actor"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? max = null) =>
        ExpectMsg<Terminated>(t => t.ActorRef.Equals(actor), max, $"for {actor.Path}");

    /// <summary>Takes the next <paramref name="count"/> messages, whatever they are.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null)
    {
        var received = new List<object>(count);
        var timeout = Remaining(max);
        var clock = Start();
        while (received.Count < count)
        {
            if (!TryTake(timeout - clock.Elapsed, out var message))
            {
                throw new AssertionFailedException($"{Path}: timeout ({timeout.TotalMilliseconds:0} ms) with {received.Count} of {count} messages received");
            }

            received.Add(message);
        }

        return received;
    }

    /// <summary>Takes the next message if one arrives within <paramref name="max"/>; null otherwise.</summary>
    public object? ReceiveOne(TimeSpan? max = null) => TryTake(Remaining(max), out var message) ? message : null;

    /// <summary>Takes messages until one satisfies <paramref name="isTheOne"/>, and returns it; the others are dropped.</summary>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? max = null)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        var timeout = Remaining(max);
        var clock = Start();
        var seen = 0;
        while (true)
        {
            if (!TryTake(timeout - clock.Elapsed, out var message))
            {
                throw new AssertionFailedException($"{Path}: timeout ({timeout.TotalMilliseconds:0} ms) fishing for a message; {seen} others seen");
            }

            if (isTheOne(message)) return message;
            seen++;
        }
    }

    /// <summary>Takes messages until a <typeparamref name="T"/> that satisfies <paramref name="isTheOne"/> arrives.</summary>
    public T FishForMessage<T>(Predicate<T>? isTheOne = null, TimeSpan? max = null) =>
        (T)FishForMessage(m => m is T t && (isTheOne is null || isTheOne(t)), max);

    /// <summary>
    /// Runs <paramref name="action"/>, which must take between <paramref name="min"/> and <paramref name="max"/>;
    /// Expect calls inside it wait at most until <paramref name="max"/> is up.
    /// </summary>
    public void Within(TimeSpan min, TimeSpan max, Action action) => Within(min, max, () =>
    {
        action();
        return true;
    });

    public T Within<T>(TimeSpan min, TimeSpan max, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var dilatedMax = settings.Dilate(max);
        var outer = withinDeadline.Value;
        var deadline = DateTime.UtcNow + dilatedMax;
        if (outer is { } o && o < deadline) deadline = o;
        withinDeadline.Value = deadline;
        quietUntilBlockEnd.Value = false;
        var clock = Start();
        try
        {
            var result = action();
            var elapsed = clock.Elapsed;
            if (elapsed < min)
            {
                throw new AssertionFailedException($"{Path}: block took {elapsed.TotalMilliseconds:0} ms, less than the minimum {min.TotalMilliseconds:0} ms");
            }

            if (elapsed > dilatedMax && !quietUntilBlockEnd.Value)
            {
                throw new AssertionFailedException($"{Path}: block took {elapsed.TotalMilliseconds:0} ms, more than the maximum {dilatedMax.TotalMilliseconds:0} ms");
            }

            return result;
        }
        finally
        {
            withinDeadline.Value = outer;
            quietUntilBlockEnd.Value = false;
        }
    }

    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);
}
