using MifActors.Actors;

namespace MifActors.Lab;

/// <summary>A toy host: one child per interface, supervised and watched.</summary>
internal sealed class DemoHost : ReceiveActor
{
    private readonly HashSet<string> up = [];
    private int restarts;
    private IActorRef? pingRequester;
    private int pingsExpected;
    private int pingsDone;

    public DemoHost(IEnumerable<string> interfaces)
    {
        foreach (var name in interfaces)
        {
            Context.Watch(Context.ActorOf(Props.Create(() => new DemoInterface(name)), "if-" + name));
        }

        Receive<InterfaceUp>(m =>
        {
            if (!up.Add(m.Name)) restarts++;
        });
        Receive<GetStatus>(_ => Sender.Tell(new Status([.. up.Order()], restarts)));
        Receive<CrashInterface>(m => Context.Child("if-" + m.Name).Tell(m));
        Receive<RemoveInterface>(m => Context.Stop(Context.Child("if-" + m.Name)));
        Receive<Terminated>(t => up.Remove(t.ActorRef.Path.Name["if-".Length..]));
        Receive<PingInterfaces>(m =>
        {
            pingRequester = Sender;
            var children = Context.Children.ToList();
            var each = m.Count / Math.Max(1, children.Count);
            pingsExpected = each * children.Count;
            pingsDone = 0;
            foreach (var child in children)
            {
                for (var i = 0; i < each; i++) child.Tell(Ping.Instance);
            }
        });
        Receive<Ping>(_ =>
        {
            pingsDone++;
            if (pingsDone == pingsExpected) pingRequester?.Tell(pingsDone);
        });
    }

    public sealed record GetStatus;

    public sealed record Status(IReadOnlyList<string> Interfaces, int Restarts);

    public sealed record CrashInterface(string Name);

    public sealed record RemoveInterface(string Name);

    public sealed record PingInterfaces(int Count);

    public sealed record InterfaceUp(string Name);

    public sealed class Ping
    {
        public static readonly Ping Instance = new();
    }
}

internal sealed class DemoInterface : ReceiveActor
{
    public DemoInterface(string name)
    {
        Receive<DemoHost.CrashInterface>(_ => throw new InvalidOperationException($"{name} driver crashed (on purpose)"));
        Receive<DemoHost.Ping>(p => Sender.Tell(p));
        Context.Parent.Tell(new DemoHost.InterfaceUp(name));
    }
}
