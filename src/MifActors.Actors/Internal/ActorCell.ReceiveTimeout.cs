namespace MifActors.Actors.Internal;

/// <summary>
/// Receive timeout without touching a timer per message: each message stamps the time, and the timer, when it
/// fires, either delivers <see cref="ReceiveTimeout"/> or sleeps again for what is left.
/// </summary>
internal sealed partial class ActorCell
{
    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "a receive timeout must be positive; pass null to turn it off");
        }

        CancelReceiveTimeout();
        if (timeout is null) return;
        var x = X;
        x.ReceiveTimeout = timeout;
        x.LastActivity = system.TimeProvider.GetTimestamp();
        ArmReceiveTimeout(timeout.Value);
    }

    private void ArmReceiveTimeout(TimeSpan due)
    {
        var x = X;
        var generation = x.ReceiveTimeoutGeneration;
        x.ReceiveTimeoutTimer?.Dispose();
        x.ReceiveTimeoutTimer = system.TimeProvider.CreateTimer(
            static state =>
            {
                var (cell, generation) = ((ActorCell, int))state!;
                cell.Tell(new ReceiveTimeoutFired(generation));
            },
            (this, generation),
            due,
            Timeout.InfiniteTimeSpan);
    }

    private void CancelReceiveTimeout()
    {
        if (extras is not { } x) return;
        x.ReceiveTimeoutGeneration++;
        x.ReceiveTimeoutTimer?.Dispose();
        x.ReceiveTimeoutTimer = null;
        x.ReceiveTimeout = null;
    }

    private void HandleReceiveTimeoutFired(ReceiveTimeoutFired fired)
    {
        if (extras is not { ReceiveTimeout: { } timeout } x || fired.Generation != x.ReceiveTimeoutGeneration) return;
        var idle = system.TimeProvider.GetElapsedTime(x.LastActivity);
        if (idle >= timeout)
        {
            // Stamp first: the actor may turn the timeout off or change it while handling this.
            x.LastActivity = system.TimeProvider.GetTimestamp();
            ArmReceiveTimeout(timeout);
            currentMessage = Actors.ReceiveTimeout.Instance;
            Deliver(Actors.ReceiveTimeout.Instance);
        }
        else
        {
            ArmReceiveTimeout(timeout - idle);
        }
    }
}
