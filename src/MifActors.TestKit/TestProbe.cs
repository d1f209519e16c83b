using System.Collections.Concurrent;
using System.Diagnostics;
using MifActors.Actors;
using MifActors.Actors.Internal;

namespace MifActors.TestKit;

/// <summary>
/// A reference that records what it receives so a test can assert on it. It can watch actors (then
/// <see cref="ExpectTerminated"/>), reply to the last sender, and send as itself. Waits use real time, scaled by
/// <c>mifactors.testkit.time-factor</c>; the default wait is <c>mifactors.testkit.single-expect-default</c>.
/// </summary>
public sealed partial class TestProbe : ActorRefBase, IInternalActorRef
{
    private readonly BlockingCollection<(object Message, IActorRef? Sender)> queue = [];
    private readonly TestKitSettings settings;
    private readonly AsyncLocal<DateTime?> withinDeadline = new();
    // Set when ExpectNoMsg waited out the enclosing Within block: the block then ends at its maximum by design.
    private readonly AsyncLocal<bool> quietUntilBlockEnd = new();

    internal TestProbe(ActorSystem system, ActorPath path, TestKitSettings settings)
    {
        System = system;
        Path = path;
        this.settings = settings;
    }

    public override ActorPath Path { get; }

    public ActorSystem System { get; }

    /// <summary>The sender of the last message taken by an Expect or Receive call.</summary>
    public IActorRef? LastSender { get; private set; }

    /// <summary>The probe itself, for passing as a sender or a subscriber.</summary>
    public IActorRef Ref => this;

    /// <summary>Messages received and not yet taken.</summary>
    public int Pending => queue.Count;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        queue.Add((message, sender));
    }

    void IInternalActorRef.SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification notification:
                queue.Add((new Terminated(notification.Actor), notification.Actor));
                break;
            case Watch watch when ReferenceEquals(watch.Watchee, this):
                // Probes live as long as the test: nothing to notify.
                break;
        }
    }

    ActorSystem? IInternalActorRef.System => System;

    /// <summary>Watches <paramref name="actor"/>: its end arrives as <see cref="Terminated"/>.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is IInternalActorRef target)
        {
            target.SendSystemMessage(new Actors.Internal.Watch(target, this));
        }

        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        if (actor is IInternalActorRef target)
        {
            target.SendSystemMessage(new Actors.Internal.Unwatch(target, this));
        }

        return actor;
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with this probe as the sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, this);

    /// <summary>Replies to <see cref="LastSender"/>.</summary>
    public void Reply(object message)
    {
        var sender = LastSender ?? throw new AssertionFailedException($"{Path} has no last sender to reply to; receive a message first");
        sender.Tell(message, this);
    }

    /// <summary>Forwards the last message's sender to <paramref name="target"/>, as if it were sent there directly.</summary>
    public void Forward(IActorRef target, object message) => target.Tell(message, LastSender);

    internal TimeSpan Remaining(TimeSpan? max)
    {
        var limit = max is { } given ? settings.Dilate(given) : settings.SingleExpectDefault;
        if (WithinLeft() is { } left && (max is null || left < limit)) limit = left;
        return limit;
    }

    /// <summary>The time left in the enclosing <c>Within</c> block (never negative), or null outside one.</summary>
    private TimeSpan? WithinLeft()
    {
        if (withinDeadline.Value is not { } deadline) return null;
        var left = deadline - DateTime.UtcNow;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    private bool TryTake(TimeSpan timeout, out object message)
    {
        if (queue.TryTake(out var item, timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout))
        {
            LastSender = item.Sender;
            message = item.Message;
            return true;
        }

        message = null!;
        return false;
    }

    private static string Describe(object message) => message switch
    {
        string text => $"\"{text}\"",
        _ => $"{message.GetType().Name} {message}",
    };

    internal static Stopwatch Start() => Stopwatch.StartNew();
}

/// <summary>A TestKit expectation that did not hold.</summary>
public sealed class AssertionFailedException(string message) : Exception(message);
