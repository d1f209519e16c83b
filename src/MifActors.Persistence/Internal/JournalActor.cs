using MifActors.Actors;

namespace MifActors.Persistence.Internal;

/// <summary>
/// The journal of one actor system: owns the <see cref="JournalWriter"/> (persistent actors enqueue on it directly)
/// and closes it when the system stops.
/// </summary>
internal sealed class JournalActor : ReceiveActor
{
    private readonly JournalWriter writer;

    public JournalActor(JournalWriter writer) => this.writer = writer;

    protected override void PostStop() => writer.Complete();
}
