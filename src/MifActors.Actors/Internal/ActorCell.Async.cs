namespace MifActors.Actors.Internal;

/// <summary>
/// Async handlers: while the task of a ReceiveAsync handler runs, the actor takes no other user message, and
/// the handler's continuations are posted back to run on the actor's own turn, so the code after an
/// <c>await</c> sees the same Self, Sender and state as the code before it.
/// </summary>
internal sealed partial class ActorCell
{
    internal void RunAsyncHandler<T>(T message, Func<T, Task> handler)
    {
        var context = X.SynchronizationContext ??= new ActorSynchronizationContext(this);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = handler(message) ?? Task.CompletedTask;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult(); // a synchronous failure fails the actor like any handler
            return;
        }

        extras!.AwaitingAsync = true;
        task.ContinueWith(
            static (finished, state) =>
            {
                var (cell, incarnation) = ((ActorCell, int))state!;
                cell.SendSystemMessage(new AsyncHandlerCompleted(finished, incarnation));
            },
            (this, incarnation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void RunContinuationOnTurn(RunContinuation continuation)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(extras?.SynchronizationContext);
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void HandleAsyncHandlerCompleted(AsyncHandlerCompleted completed)
    {
        if (completed.Incarnation != incarnation || extras is not { AwaitingAsync: true } x) return;
        x.AwaitingAsync = false;
        if (completed.Task.IsFaulted || completed.Task.IsCanceled)
        {
            var cause = completed.Task.Exception?.InnerException
                ?? new TaskCanceledException($"the async handler of {Path} was cancelled");
            HandleInvokeFailure(cause);
        }

        currentMessage = null;
        currentSender = null;
    }
}

/// <summary>Posts continuations to the actor's system-message queue.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => cell.SendSystemMessage(new RunContinuation(d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would block its turn; use Post");

    public override SynchronizationContext CreateCopy() => this;
}
