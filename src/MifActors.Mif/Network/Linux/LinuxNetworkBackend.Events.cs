using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using MifActors.Mif.Network.Linux.Internal;
using MifActors.Mif.Network.Linux.Internal.Netlink;
using MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;

namespace MifActors.Mif.Network.Linux;

// One loop applies everything the backend hears, in the order it arrived: the kernel's events, router advertisements
// and lease files. After each input it works out the DNS host routes, makes the kernel agree, and only then tells
// observers, so that an observer never learns of a DNS server whose route is not there yet.
public sealed partial class LinuxNetworkBackend
{
    private sealed record KernelEvents(List<RtnetlinkChange> Changes, bool Snapshot);

    private sealed record AdvertisementArrived(int InterfaceIndex, RouterAdvertisement Advertisement);

    private async Task StartAsync()
    {
        var token = _stopping.Token;
        var dump = await _netlink.DumpAllAsync(token).ConfigureAwait(false);
        await _dnsRoutes.RemoveLeftoversAsync(dump.OfType<RouteChange>().Select(c => c.Route), Problem, token).ConfigureAwait(false);
        await ApplyAsync(new KernelEvents(dump.Where(c => c is not RouteChange { Route.Protocol: var p } || p != _settings.DnsRouteProtocol).ToList(), Snapshot: true), token)
            .ConfigureAwait(false);
        foreach (var leases in _leases.ReadAll()) await ApplyAsync(leases, token).ConfigureAwait(false);

        _loops.Add(Task.Run(() => ProcessAsync(token), CancellationToken.None));
        _loops.Add(Task.Run(() => MonitorKernelAsync(token), CancellationToken.None));
        _loops.Add(Task.Run(() => ListenForAdvertisementsAsync(token), CancellationToken.None));
        _leases.StartWatching();
        if (_settings.SolicitRouters)
        {
            int[] usable;
            lock (_gate) usable = _interfaces.Reported.Where(e => e.Usable).Select(e => e.Link.Index).ToArray();
            foreach (var index in usable) Solicit(index);
        }
    }

    private async Task ProcessAsync(CancellationToken token)
    {
        try
        {
            await foreach (var input in _inputs.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await ApplyAsync(input, token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A failure here must not stop the backend: the next input is applied on what is known.
                    _log.Error(exception, "The Linux backend failed to apply {0}", input.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task ApplyAsync(object input, CancellationToken token)
    {
        var removed = new List<string>();
        var becameUsable = new List<int>();
        lock (_gate)
        {
            var usableBefore = _interfaces.Reported.Where(e => e.Usable).Select(e => e.Link.Index).ToHashSet();
            switch (input)
            {
                case KernelEvents events:
                    ApplyKernel(events, removed);
                    break;
                case AdvertisementArrived arrived:
                    _interfaces.ApplyAdvertisement(arrived.InterfaceIndex, arrived.Advertisement);
                    break;
                case LeaseFiles.Leases leases:
                    foreach (var (name, (dhcpv4, dhcpv6)) in leases.ByInterface) _interfaces.ApplyLeases(name, dhcpv4, dhcpv6);
                    break;
            }

            becameUsable.AddRange(_interfaces.Reported.Where(e => e.Usable && !usableBefore.Contains(e.Link.Index)).Select(e => e.Link.Index));
            _dnsRoutes.Compute(_interfaces);
        }

        await _dnsRoutes.ReconcileAsync(Problem, token).ConfigureAwait(false);

        lock (_gate)
        {
            Publish(removed);
        }

        if (_settings.SolicitRouters)
        {
            foreach (var index in becameUsable) Solicit(index);
        }
    }

    // Inside the lock.
    private void ApplyKernel(KernelEvents events, List<string> removed)
    {
        var now = _scheduler.Now;
        if (events.Snapshot)
        {
            // After lost events the dump is the truth: links it lacks are gone, addresses and routes are replaced.
            var present = events.Changes.OfType<LinkChange>().Select(c => c.Link.Index).ToHashSet();
            foreach (var gone in _interfaces.Reported.Where(e => !present.Contains(e.Link.Index)).ToArray())
            {
                _interfaces.RemoveLink(gone.Link.Index);
                removed.Add(gone.Link.Name);
            }

            _interfaces.ForgetKernelState();
        }

        foreach (var change in events.Changes)
        {
            switch (change)
            {
                case LinkChange { Removed: true } link:
                    if (_interfaces.RemoveLink(link.Link.Index) is { Reported: true } gone) removed.Add(gone.Link.Name);
                    break;
                case LinkChange link:
                    var (entry, previousName) = _interfaces.ApplyLink(link.Link);
                    if (previousName is not null && _published.ContainsKey(previousName)) removed.Add(previousName);
                    if (!entry.Reported) entry.Changed = false;
                    break;
                case AddressChange address:
                    _interfaces.ApplyAddress(address.Address, address.Removed, now);
                    break;
                case RouteChange { Removed: true, Route.Protocol: var protocol } route when protocol == _settings.DnsRouteProtocol:
                    _dnsRoutes.Removed(route.Route);
                    break;
                case RouteChange route:
                    _interfaces.ApplyRoute(route.Route, route.Removed);
                    break;
            }
        }
    }

    // Inside the lock: tells observers what changed, removals first, each interface's full state.
    private void Publish(List<string> removed)
    {
        foreach (var name in removed)
        {
            if (!_published.Remove(name)) continue;
            _publishedOrder.Remove(name);
            foreach (var observer in _observers) observer.Tell(new InterfaceRemoved(name), ActorRefs.NoSender);
        }

        foreach (var entry in _interfaces.Reported.Where(e => e.Changed))
        {
            entry.Changed = false;
            var state = entry.ToState();
            if (!_published.ContainsKey(state.Name)) _publishedOrder.Add(state.Name);
            _published[state.Name] = state;
            var observed = new InterfaceObserved(state);
            foreach (var observer in _observers) observer.Tell(observed, ActorRefs.NoSender);
        }
    }

    private async Task MonitorKernelAsync(CancellationToken token)
    {
        var changes = new List<RtnetlinkChange>();
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (await _netlink.ReceiveEventsAsync(changes, token).ConfigureAwait(false))
                {
                    if (changes.Count == 0) continue;
                    _inputs.Writer.TryWrite(new KernelEvents(changes, Snapshot: false));
                    changes = [];
                    continue;
                }

                _log.Warning("The kernel dropped rtnetlink events (its buffer of {0} bytes overflowed); reading links, addresses and routes again",
                    _settings.NetlinkReceiveBuffer);
                changes.Clear();
                var dump = await _netlink.DumpAllAsync(token).ConfigureAwait(false);
                _inputs.Writer.TryWrite(new KernelEvents(dump, Snapshot: true));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception exception) when (exception is SocketException or IOException or InvalidOperationException)
            {
                if (token.IsCancellationRequested) return;
                _log.Error(exception, "Reading rtnetlink events failed; trying again");
            }
        }
    }

    private async Task ListenForAdvertisementsAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                var received = await _advertisements.ReceiveAsync(token).ConfigureAwait(false);
                var router = InterfaceTable.Unscoped(received.Source);
                if (!received.IsFromTheLink)
                {
                    _log.Warning("Router advertisement from {0} on interface #{1} ignored: RFC 4861 wants a link-local source and hop limit 255 (it had {2}){3}",
                        router, received.InterfaceIndex, received.HopLimit, received.Truncated ? ", and it was cut" : "");
                    continue;
                }

                var error = RouterAdvertisementDecoder.Decode(received.Message.Span, router, _scheduler.Now, out var advertisement, out var skipped);
                if (error.IsError)
                {
                    _log.Warning("Router advertisement from {0} on interface #{1} dropped: {2}", router, received.InterfaceIndex, error.Message);
                    continue;
                }

                if (skipped.IsError)
                    _log.Warning("Router advertisement from {0} on interface #{1}: an option was skipped: {2}", router, received.InterfaceIndex, skipped.Message);
                _inputs.Writer.TryWrite(new AdvertisementArrived(received.InterfaceIndex, advertisement!));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException)
            {
                if (token.IsCancellationRequested) return;
                _log.Error(exception, "Reading router advertisements failed; trying again");
            }
        }
    }

    private void Solicit(int interfaceIndex)
    {
        try
        {
            _advertisements.SolicitRouters(interfaceIndex);
        }
        catch (SocketException exception)
        {
            // A link that has just come up may have no link-local address yet; the kernel solicits on its own then.
            _log.Debug("Router solicitation on interface #{0} not sent: {1}", interfaceIndex, exception.Message);
        }
    }
}
