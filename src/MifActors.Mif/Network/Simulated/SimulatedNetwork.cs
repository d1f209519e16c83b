using Akka.Actor;
using MifActors.Mif.Network.Simulated.Internal;

namespace MifActors.Mif.Network.Simulated;

/// <summary>
/// A network backend made of virtual interfaces on the actor system's scheduler, driven by a scenario
/// (<c>net.AddInterface("wlan0", InterfaceKind.Wifi)</c>, <c>net.AdvertiseRouter(...)</c>, <c>net.TakeDown("wlan0")</c>,
/// <c>net.Blackhole("wlan0")</c>): links with a round-trip time, loss and black holes; routers sending advertisements;
/// DHCP servers; DNS servers per network that are real UDP/TCP responders on loopback addresses (so the resolver runs
/// the same DnsClient code as on Linux), and may intercept every name as a captive portal does; servers that accept
/// real loopback TCP connections, with the simulation deciding on the scheduler whether and when a connect succeeds.
/// With Akka's TestScheduler everything timed is virtual, so a scenario runs the same way every time.
/// docs/mif-api.md, "The simulated network", lists the scenario API.
/// </summary>
public sealed partial class SimulatedNetwork : INetworkBackend, IDisposable
{
    private readonly object _gate = new();
    private readonly IScheduler _scheduler;
    private readonly SimulatedNetworkSettings _settings;
    private readonly Random _random;
    private readonly List<IActorRef> _observers = [];
    private readonly Dictionary<string, SimulatedInterface> _interfaces = new();
    private readonly List<string> _order = [];
    private readonly List<ICancelable> _timers = [];
    private bool _disposed;

    /// <summary>A network on <paramref name="system"/>'s scheduler with its mifactors.mif.simulated settings.</summary>
    public SimulatedNetwork(ActorSystem system) : this(system.Scheduler, MifSettings.Get(system).Simulated)
    {
    }

    public SimulatedNetwork(IScheduler scheduler, SimulatedNetworkSettings settings)
    {
        _scheduler = scheduler;
        _settings = settings;
        _random = new Random(settings.LossSeed);
    }

    /// <summary>The scheduler's clock, which stamps everything this network reports.</summary>
    public DateTimeOffset Now => _scheduler.Now;

    /// <summary>The interfaces there are, in the order they were added.</summary>
    public IReadOnlyList<string> Interfaces
    {
        get
        {
            lock (_gate)
            {
                return _order.ToArray();
            }
        }
    }

    /// <summary>How many times an application asked for connectivity (WantsToConnect).</summary>
    public int ConnectivityRequests { get; private set; }

    // --- INetworkBackend: state -----------------------------------------------------------------------------------

    public void Watch(IActorRef observer)
    {
        lock (_gate)
        {
            _observers.Remove(observer);
            _observers.Add(observer);
            observer.Tell(new NetworkObserved(_order.Select(name => _interfaces[name].ToState()).ToArray()));
        }
    }

    public void Unwatch(IActorRef observer)
    {
        lock (_gate)
        {
            _observers.Remove(observer);
        }
    }

    public Task<InterfaceState?> ReadInterfaceAsync(string interfaceName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_interfaces.GetValueOrDefault(interfaceName)?.ToState());
        }
    }

    public void RequestConnectivity()
    {
        lock (_gate)
        {
            ConnectivityRequests++;
            foreach (var dormant in _order.Select(name => _interfaces[name]).Where(i => i.Dormant && !i.Up))
            {
                dormant.Up = true;
                LinkCameUp(dormant);
            }
        }
    }

    // --- inside the lock ------------------------------------------------------------------------------------------

    private SimulatedInterface Interface(string name) =>
        _interfaces.TryGetValue(name, out var i)
            ? i
            : throw new ArgumentException($"there is no simulated interface {name}; add it with AddInterface first", nameof(name));

    /// <summary>Tells every observer the interface's new state; called inside the lock, so observers see changes in order.</summary>
    private void Publish(SimulatedInterface i)
    {
        var observed = new InterfaceObserved(i.ToState());
        foreach (var observer in _observers)
        {
            observer.Tell(observed);
        }
    }

    private void PublishAll(object message)
    {
        foreach (var observer in _observers)
        {
            observer.Tell(message);
        }
    }

    /// <summary>Runs <paramref name="action"/> inside the lock after <paramref name="delay"/> on the scheduler.</summary>
    private void After(TimeSpan delay, Action action)
    {
        var timer = new Cancelable(_scheduler);
        _timers.Add(timer);
        _scheduler.Advanced.ScheduleOnce(delay <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : delay, () =>
        {
            lock (_gate)
            {
                _timers.Remove(timer);
                if (!_disposed)
                {
                    action();
                }
            }
        }, timer);
    }

    /// <summary>Runs <paramref name="action"/> every <paramref name="interval"/> inside the lock, until cancelled.</summary>
    private ICancelable Every(TimeSpan interval, Action action)
    {
        var timer = new Cancelable(_scheduler);
        _timers.Add(timer);
        _scheduler.Advanced.ScheduleRepeatedly(interval, interval, () =>
        {
            lock (_gate)
            {
                if (!_disposed && !timer.IsCancellationRequested)
                {
                    action();
                }
            }
        }, timer);
        return timer;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var timer in _timers)
            {
                timer.Cancel();
            }
            _timers.Clear();
            DisposeDns();
            DisposeServers();
        }
    }
}
