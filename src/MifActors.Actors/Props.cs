using System.Reflection;
using System.Runtime.ExceptionServices;
using MifActors.Actors.Supervision;

namespace MifActors.Actors;

/// <summary>
/// The recipe for an actor: how to make a fresh instance (on start and on every restart) and how it
/// supervises its children. Immutable; share freely.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> factory;

    private Props(Type actorType, Func<ActorBase> factory, SupervisorStrategy? supervisorStrategy, int? throughput)
    {
        ActorType = actorType;
        this.factory = factory;
        SupervisorStrategy = supervisorStrategy;
        Throughput = throughput;
    }

    /// <summary>The type of actor these props make.</summary>
    public Type ActorType { get; }

    /// <summary>The strategy the actor applies to its children, overriding its own <c>SupervisorStrategy()</c>.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Messages per mailbox turn for this actor; the system's setting when null.</summary>
    public int? Throughput { get; }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>()
        where TActor : ActorBase, new() => new(typeof(TActor), static () => Construct<TActor>(), null, null);

    /// <summary>Props for an actor made by <paramref name="factory"/>, called again on every restart.</summary>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null, null);
    }

    /// <summary>These props with a supervisor strategy for the actor's children.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, factory, strategy, Throughput);
    }

    /// <summary>These props with their own throughput (messages per mailbox turn, at least 1).</summary>
    public Props WithThroughput(int throughput)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(throughput, 1);
        return new Props(ActorType, factory, SupervisorStrategy, throughput);
    }

    private static TActor Construct<TActor>()
        where TActor : ActorBase, new()
    {
        try
        {
            return new TActor();
        }
        catch (TargetInvocationException e) when (e.InnerException is { } thrown)
        {
            // new() on a type parameter goes through Activator, which wraps what the constructor threw; unwrap it
            // so failures and logs name the constructor's own exception.
            ExceptionDispatchInfo.Capture(thrown).Throw();
            throw;
        }
    }

    internal ActorBase NewActor() => factory() ?? throw new InvalidOperationException($"The factory for {ActorType.Name} returned null");

    public override string ToString() => $"Props({ActorType.Name})";
}
