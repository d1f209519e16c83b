using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Network.Linux.Internal;
using MifActors.Mif.Network.Linux.Internal.Netlink;
using MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;

namespace MifActors.Mif.Network.Linux;

/// <summary>
/// The network backend of a Linux host (docs/mif-linux.md): links, addresses with their lifetimes and routes from
/// rtnetlink, pushed by the kernel (RTNLGRP_LINK, _IPV4_IFADDR, _IPV6_IFADDR, _IPV4_ROUTE, _IPV6_ROUTE; no polling);
/// router advertisements with prefixes, RDNSS, DNSSL, route information, PREF64 and the RFC 8801 PvD ID option from a
/// raw ICMPv6 socket; DHCP data from dhclient lease files; TCP connections bound to their source address and their
/// device (SO_BINDTODEVICE); DNS queries kept on their PvD's interface by host routes. Needs CAP_NET_RAW and
/// CAP_NET_ADMIN (root has both), and CAP_SYS_ADMIN to work in another network namespace.
/// </summary>
public sealed partial class LinuxNetworkBackend : INetworkBackend, IDisposable
{
    private readonly object _gate = new();
    private readonly IScheduler _scheduler;
    private readonly LinuxNetworkSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly NetworkNamespaceThreads _namespace;
    private readonly RtnetlinkConnection _netlink;
    private readonly RouterAdvertisementSocket _advertisements;
    private readonly InterfaceTable _interfaces;
    private readonly DnsServerRoutes _dnsRoutes;
    private readonly LeaseFiles _leases;
    private readonly List<IActorRef> _observers = [];
    private readonly Dictionary<string, InterfaceState> _published = new();
    private readonly List<string> _publishedOrder = [];
    private readonly Channel<object> _inputs = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private bool _disposed;

    private LinuxNetworkBackend(
        IScheduler scheduler, LinuxNetworkSettings settings, IReadOnlyDictionary<string, StaticInterfaceSettings> statics, ILoggingAdapter log)
    {
        _scheduler = scheduler;
        _settings = settings;
        _log = log;
        _namespace = new NetworkNamespaceThreads(settings.NetworkNamespace);
        _interfaces = new InterfaceTable(settings);
        try
        {
            // Both sockets are opened before the first dump, so no event between the dump and the first receive is lost.
            _netlink = _namespace.Run(() => new RtnetlinkConnection(settings.NetlinkReceiveBuffer, Problem));
            _advertisements = _namespace.Run(() => new RouterAdvertisementSocket());
        }
        catch
        {
            _netlink?.Dispose();
            _namespace.Dispose();
            throw;
        }

        _dnsRoutes = new DnsServerRoutes(_netlink, settings, statics);
        _leases = new LeaseFiles(settings.LeaseFiles, scheduler, changed => _inputs.Writer.TryWrite(changed), Problem);
    }

    /// <summary>
    /// Starts the backend for <paramref name="system"/> with its mifactors.mif.linux settings: opens its sockets,
    /// reads every link, address and route, removes DNS routes a killed predecessor left, and starts listening.
    /// The caller disposes it after the actor system.
    /// </summary>
    public static LinuxNetworkBackend Start(ActorSystem system) =>
        Start(system.Scheduler, LinuxNetworkSettings.Get(system), MifSettings.Get(system).StaticInterfaces,
            Logging.GetLogger(system, typeof(LinuxNetworkBackend)));

    /// <summary>As <see cref="Start(ActorSystem)"/>, with the parts given.</summary>
    public static LinuxNetworkBackend Start(
        IScheduler scheduler, LinuxNetworkSettings settings, IReadOnlyDictionary<string, StaticInterfaceSettings> statics, ILoggingAdapter log)
    {
        var backend = new LinuxNetworkBackend(scheduler, settings, statics, log);
        try
        {
            backend.StartAsync().GetAwaiter().GetResult();
            return backend;
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    /// <summary>The network namespace this backend reads and opens its sockets in.</summary>
    public string NetworkNamespace => _namespace.Description;

    // --- INetworkBackend: state ---------------------------------------------------------------------------------------

    public void Watch(IActorRef observer)
    {
        lock (_gate)
        {
            _observers.Remove(observer);
            _observers.Add(observer);
            observer.Tell(new NetworkObserved(_publishedOrder.Select(name => _published[name]).ToArray()));
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
            return Task.FromResult(_published.GetValueOrDefault(interfaceName));
        }
    }

    public void RequestConnectivity()
    {
        List<(int Index, string Name)> down;
        lock (_gate)
        {
            down = _interfaces.Reported.Where(e => !e.Link.IsUp && _settings.BringUpOnRequest.Contains(e.Link.Name))
                .Select(e => (e.Link.Index, e.Link.Name)).ToList();
        }

        foreach (var (index, name) in down) _ = BringUpAsync(index, name);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _observers.Clear();
        }

        _stopping.Cancel();
        _inputs.Writer.TryComplete();
        try
        {
            Task.WaitAll(_loops.ToArray(), TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loops end by cancellation; a failure was logged where it happened.
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            _dnsRoutes.RemoveAllAsync(Problem, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            _log.Warning("The DNS host routes (protocol {0}) could not all be removed: {1}", _settings.DnsRouteProtocol, exception.Message);
        }

        _leases.Dispose();
        _advertisements.Dispose();
        _netlink.Dispose();
        _namespace.Dispose();
        _stopping.Dispose();
    }

    private void Problem(string message) => _log.Warning("{0}", message);

    // The kernel's link event tells observers the interface came up; only a refusal needs saying here.
    private async Task BringUpAsync(int index, string name)
    {
        try
        {
            var (errno, refusal) = await _netlink.SetLinkUpAsync(index, name, _stopping.Token).ConfigureAwait(false);
            if (errno != 0) _log.Warning("WantsToConnect could not bring {0} up: {1}", name, refusal);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
