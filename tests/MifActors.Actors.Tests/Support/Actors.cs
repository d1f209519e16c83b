using MifActors.Actors.Supervision;

namespace MifActors.Actors.Tests.Support;

/// <summary>Asks a <see cref="Supervisor"/> to create a child; the reply is the child's reference.</summary>
public sealed record CreateChild(Props Props, string Name);

/// <summary>A parent that only creates children and supervises them with the strategy it was given.</summary>
public sealed class Supervisor : ReceiveActor
{
    public Supervisor() => Receive<CreateChild>(c => Sender.Tell(Context.ActorOf(c.Props, c.Name)));

    public static Props Props(SupervisorStrategy strategy) => Actors.Props.Create(() => new Supervisor()).WithSupervisorStrategy(strategy);
}

/// <summary>Tells <c>probe</c> every message it gets.</summary>
public sealed class Forwarder : ReceiveActor
{
    public Forwarder(IActorRef probe) => ReceiveAny(m => probe.Tell(m));
}

/// <summary>
/// Keeps a count and reports its life to a probe: "started", "restarting", "restarted", "stopped". Messages:
/// "inc" counts, "get" replies the count, "fail" throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class LifecycleReporter : ReceiveActor
{
    private readonly IActorRef probe;
    private int count;

    public LifecycleReporter(IActorRef probe)
    {
        this.probe = probe;
        Receive<string>(s => s == "inc", _ => count++);
        Receive<string>(s => s == "get", _ => Sender.Tell(count));
        Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("asked to fail"));
    }

    public static Props Props(IActorRef probe) => Actors.Props.Create(() => new LifecycleReporter(probe));

    protected internal override void PreStart() => probe.Tell(("started", Self));

    protected internal override void PostStop() => probe.Tell(("stopped", Self));

    protected internal override void PreRestart(Exception reason, object? message)
    {
        probe.Tell(("restarting", Self));
        base.PreRestart(reason, message);
    }

    protected internal override void PostRestart(Exception reason)
    {
        probe.Tell(("restarted", Self));
        base.PostRestart(reason);
    }
}
