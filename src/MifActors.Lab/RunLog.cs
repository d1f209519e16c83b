using MifActors.Persistence;

namespace MifActors.Lab;

/// <summary>Counts demo runs in the journal (SQLite by default): each run recovers the runs before it.</summary>
internal sealed class RunLog : ReceivePersistentActor
{
    private int runs;

    public RunLog()
    {
        Recover<RunStarted>(_ => runs++);
        Command<Record>(record => Persist(new RunStarted(record.At), _ =>
        {
            runs++;
            Sender.Tell(runs);
        }));
    }

    public override string PersistenceId => "lab-demo-runs";

    public sealed record Record(DateTimeOffset At);

    [PersistentManifest("lab.demo-run-started.v1")]
    public sealed record RunStarted(DateTimeOffset At);
}
