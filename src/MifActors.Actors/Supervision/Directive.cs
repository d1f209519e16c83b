namespace MifActors.Actors.Supervision;

/// <summary>What a supervisor does with a child that failed.</summary>
public enum Directive
{
    /// <summary>Keep the actor and its state; drop the message that failed and go on.</summary>
    Resume,

    /// <summary>Replace the actor with a fresh instance from its props; the mailbox and the reference survive.</summary>
    Restart,

    /// <summary>Stop the actor for good.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same cause, for its own supervisor to decide.</summary>
    Escalate,
}
