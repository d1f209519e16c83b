using MifActors.Actors;
using MifActors.Actors.Timers;

namespace MifActors.Persistence;

/// <summary>A delivery not yet confirmed, as returned by <see cref="AtLeastOnceDeliveryReceiveActor.Unconfirmed"/>.</summary>
public sealed record UnconfirmedDelivery(long DeliveryId, IActorRef Destination, object Message, DateTimeOffset LastSent);

/// <summary>
/// A persistent actor that sends messages until they are confirmed: <see cref="Deliver"/> sends the message made
/// for a fresh <c>deliveryId</c> and sends it again every <see cref="RedeliverInterval"/> (on the system's
/// <see cref="TimeProvider"/>, so virtual time drives it in tests) until <see cref="ConfirmDelivery"/>.
/// Call Deliver from a persisted event's handler (and during recovery): recovery then rebuilds the unconfirmed set,
/// and the first tick after recovery resends what was not confirmed.
/// </summary>
public abstract class AtLeastOnceDeliveryReceiveActor : ReceivePersistentActor, IWithTimers
{
    private readonly SortedDictionary<long, UnconfirmedDelivery> unconfirmed = [];
    private long nextDeliveryId = 1;

    /// <summary>How long after a send an unconfirmed message is sent again.</summary>
    protected virtual TimeSpan RedeliverInterval => TimeSpan.FromSeconds(5);

    public int UnconfirmedCount => unconfirmed.Count;

    public IReadOnlyCollection<UnconfirmedDelivery> Unconfirmed => unconfirmed.Values;

    ITimerScheduler IWithTimers.Timers { get; set; } = null!;

    private ITimerScheduler Timers => ((IWithTimers)this).Timers;

    /// <summary>Sends <paramref name="makeMessage"/>(deliveryId) to <paramref name="destination"/> until confirmed.</summary>
    protected void Deliver(IActorRef destination, Func<long, object> makeMessage)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(makeMessage);
        var id = nextDeliveryId++;
        var message = makeMessage(id);
        // Recovered deliveries count as never sent, so the first tick after recovery sends them.
        var sent = IsRecovering ? DateTimeOffset.MinValue : Context.System.TimeProvider.GetUtcNow();
        unconfirmed[id] = new UnconfirmedDelivery(id, destination, message, sent);
        // While recovering, sending waits for the first tick after recovery: the destination may have confirmed since.
        if (!IsRecovering) destination.Tell(message, Self);
        EnsureTicking();
    }

    /// <summary>Stops resending <paramref name="deliveryId"/>; false when it was not (or no longer) unconfirmed.</summary>
    protected bool ConfirmDelivery(long deliveryId) => unconfirmed.Remove(deliveryId);

    private protected override bool HandleBuiltIn(object message)
    {
        if (message is not RedeliveryTick) return false;
        var now = Context.System.TimeProvider.GetUtcNow();
        foreach (var delivery in unconfirmed.Values.ToList())
        {
            if (now - delivery.LastSent < RedeliverInterval) continue;
            delivery.Destination.Tell(delivery.Message, Self);
            unconfirmed[delivery.DeliveryId] = delivery with { LastSent = now };
        }

        return true;
    }

    private protected override void AfterRecovery() => EnsureTicking();

    private void EnsureTicking()
    {
        if (IsRecovering || Timers.IsTimerActive(TickKey)) return;
        Timers.StartPeriodicTimer(TickKey, RedeliveryTick.Instance, RedeliverInterval / 2);
    }

    private static readonly object TickKey = "at-least-once-delivery";

    private sealed record RedeliveryTick
    {
        public static readonly RedeliveryTick Instance = new();
    }
}
