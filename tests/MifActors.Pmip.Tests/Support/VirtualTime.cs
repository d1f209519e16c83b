using System.Collections;
using System.Reflection;
using Akka.Actor;
using Akka.TestKit;

namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// Moves Akka's <see cref="TestScheduler"/> one due timer at a time. Its own <c>Advance</c> jumps to the end first and
/// then fires everything due, so a timer that a fired one starts would count from the end, and a periodic timer would
/// fire once however many periods passed. Here each step goes to the next due time only, and the caller lets the
/// system settle before the next, as time passes for a real node.
/// </summary>
internal static class VirtualTime
{
    // The scheduler keeps its work by due time in ticks, and has no public way to ask for the next one.
    private static readonly FieldInfo ScheduledWork = typeof(TestScheduler).GetField("_scheduledWork", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new InvalidOperationException("Akka.TestKit's TestScheduler has no _scheduledWork field any more; VirtualTime needs updating");

    private static readonly Type Item = typeof(TestScheduler).GetNestedType("ScheduledItem", BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Akka.TestKit's TestScheduler has no ScheduledItem any more; VirtualTime needs updating");

    private static readonly PropertyInfo Message = Item.GetProperty("Message")!;

    private static readonly PropertyInfo Cancelable = Item.GetProperty("Cancelable")!;

    /// <summary>Advances by <paramref name="by"/>, stopping at each due time on the way to run <paramref name="settle"/>.</summary>
    public static void Advance(TestScheduler scheduler, TimeSpan by, Action settle)
    {
        var until = scheduler.Now + by;
        while (NextDue(scheduler) is { } next && next <= until)
        {
            scheduler.AdvanceTo(next > scheduler.Now ? next : scheduler.Now);
            settle();
        }

        scheduler.AdvanceTo(until);
        settle();
    }

    /// <summary>
    /// The earliest time a live message is due: cancelled timers stay in the scheduler until their time, and the
    /// dispatcher's idle-shutdown checks are actions that need no stop of their own (they fire as time passes them).
    /// </summary>
    private static DateTimeOffset? NextDue(TestScheduler scheduler)
    {
        var work = (IDictionary)ScheduledWork.GetValue(scheduler)!;
        long? first = null;
        foreach (DictionaryEntry due in work)
        {
            var ticks = (long)due.Key;
            if (first is not null && ticks >= first) continue;
            foreach (var item in (IEnumerable)due.Value!)
            {
                if (Message.GetValue(item) is null || Cancelable.GetValue(item) is ICancelable { IsCancellationRequested: true }) continue;
                first = ticks;
                break;
            }
        }

        return first is { } earliest ? new DateTimeOffset(earliest, TimeSpan.Zero) : null;
    }
}
