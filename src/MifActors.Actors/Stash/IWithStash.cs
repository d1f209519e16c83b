namespace MifActors.Actors.Stash;

/// <summary>
/// Sets messages aside to handle later, typically while an actor waits for something: <c>Stash.Stash()</c> in
/// the waiting behavior, <c>Stash.UnstashAll()</c> when ready. Unstashed messages go in front of the mailbox, in
/// the order they were stashed. On restart stashed messages return to the mailbox; on stop they become dead letters.
/// </summary>
public interface IStash
{
    /// <summary>Sets the message being processed aside.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>Returns the stashed messages that match to the front of the mailbox; drops the rest to dead letters.</summary>
    void UnstashAll(Func<object, bool> predicate);

    /// <summary>Forgets every stashed message and returns them.</summary>
    IReadOnlyList<object> ClearStash();

    int Count { get; }
}

/// <summary>An actor with a stash; the runtime sets <see cref="Stash"/> when it makes the instance.</summary>
public interface IWithStash
{
    IStash Stash { get; set; }
}
