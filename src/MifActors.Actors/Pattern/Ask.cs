using System.Runtime.ExceptionServices;
using MifActors.Actors.Internal;

namespace MifActors.Actors.Pattern;

/// <summary>Request/response and task bridges: Ask, PipeTo, GracefulStop.</summary>
public static class Patterns
{
    /// <summary>
    /// Sends <paramref name="message"/> with a one-shot sender and returns its first reply. A reply of
    /// <see cref="Status.Failure"/> throws its cause; a reply of another type throws <see cref="InvalidCastException"/>.
    /// The timeout runs on the system's <see cref="TimeProvider"/>.
    /// </summary>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/>.</exception>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "an Ask timeout must be positive");
        }

        var system = (target as IInternalActorRef)?.System
            ?? throw new AskTimeoutException($"Ask to {target.Path} cannot complete: it is not a living actor of any system");
        var promise = new PromiseActorRef(system);
        target.Tell(message, promise);
        object reply;
        try
        {
            reply = await promise.Task.WaitAsync(timeout, system.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AskTimeoutException($"Ask to {target.Path} timed out after {timeout.TotalMilliseconds:0} ms waiting for a reply to {message.GetType().Name}");
        }

        return reply switch
        {
            T typed => typed,
            Status.Failure failure => Rethrow<T>(failure.Cause),
            _ => throw new InvalidCastException(
                $"Ask to {target.Path} expected a {typeof(T).Name} in reply to {message.GetType().Name} but got a {reply.GetType().Name}"),
        };
    }

    /// <summary>Ask with the system's default timeout (<c>mifactors.actor.ask-timeout</c>).</summary>
    public static Task<T> Ask<T>(this IActorRef target, object message, CancellationToken cancellationToken = default)
    {
        var system = (target as IInternalActorRef)?.System;
        return target.Ask<T>(message, system?.Settings.AskTimeout ?? Timeout.InfiniteTimeSpan, cancellationToken);
    }

    /// <summary>
    /// Sends the task's result to <paramref name="recipient"/> when it completes, or <see cref="Status.Failure"/>
    /// when it fails. Use it from an actor instead of awaiting, to keep the actor responsive.
    /// </summary>
    public static Task PipeTo<T>(
        this Task<T> task,
        IActorRef recipient,
        IActorRef? sender = null,
        Func<T, object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return task.ContinueWith(
            t =>
            {
                object message = t.IsCompletedSuccessfully
                    ? (success is null ? t.Result : success(t.Result)) ?? new Status.Success(null)
                    : Failure(t, failure);
                recipient.Tell(message, sender);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Sends <see cref="Status.Success"/> (null result) or <see cref="Status.Failure"/> when the task ends.</summary>
    public static Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null, Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return task.ContinueWith(
            t => recipient.Tell(t.IsCompletedSuccessfully ? success?.Invoke() ?? new Status.Success(null) : Failure(t, failure), sender),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Sends <see cref="PoisonPill"/> (or <paramref name="stopMessage"/>) and completes with true once the actor has
    /// stopped, or false if it has not within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is not IInternalActorRef internalTarget || internalTarget.System is not { } system) return true;
        var watcher = new PromiseActorRef(system);
        internalTarget.SendSystemMessage(new Watch(internalTarget, watcher));
        target.Tell(stopMessage ?? PoisonPill.Instance);
        try
        {
            await watcher.Task.WaitAsync(timeout, system.TimeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            internalTarget.SendSystemMessage(new Unwatch(internalTarget, watcher));
            return false;
        }
    }

    private static object Failure(Task task, Func<Exception, object>? map)
    {
        var cause = task.Exception?.InnerExceptions.Count == 1 ? task.Exception.InnerException! : (Exception?)task.Exception ?? new TaskCanceledException(task);
        return map?.Invoke(cause) ?? new Status.Failure(cause);
    }

    private static T Rethrow<T>(Exception cause)
    {
        ExceptionDispatchInfo.Capture(cause).Throw();
        return default;
    }
}
