using Akka.Actor;
using MifActors.Mif.Network.Linux.Internal.Leases;

namespace MifActors.Mif.Network.Linux.Internal;

/// <summary>
/// The dhclient lease files of mifactors.mif.linux.lease-files: read when the backend starts and again whenever one
/// changes (inotify, through <see cref="FileSystemWatcher"/>; no polling). What they say is reported per interface;
/// an interface whose lease is gone or expired is reported with none.
/// </summary>
internal sealed class LeaseFiles(IReadOnlyList<string> paths, IScheduler scheduler, Action<LeaseFiles.Leases> changed, Action<string> problem)
    : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly HashSet<string> _reported = [];
    private readonly object _gate = new();

    /// <summary>What every lease file says, per interface; interfaces that had a lease before and now have none map to nulls.</summary>
    internal sealed record Leases(IReadOnlyDictionary<string, (Dhcpv4Lease? V4, Dhcpv6Information? V6)> ByInterface);

    /// <summary>The leases as the files are now; nothing when no file is configured.</summary>
    public IEnumerable<Leases> ReadAll() => paths.Count == 0 ? [] : [Read()];

    public void StartWatching()
    {
        foreach (var directory in paths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!).Distinct())
        {
            if (!Directory.Exists(directory))
            {
                problem($"mifactors.mif.linux.lease-files: directory {directory} does not exist, so its lease files are not watched");
                continue;
            }

            // dhclient replaces the file (writes a new one and renames it): watch the directory, not the file.
            var watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Renamed += OnChange;
            watcher.Deleted += OnChange;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers.Clear();
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        if (paths.Any(p => Path.GetFullPath(p) == e.FullPath)) changed(Read());
    }

    private Leases Read()
    {
        lock (_gate)
        {
            var merged = new Dictionary<string, (Dhcpv4Lease? V4, Dhcpv6Information? V6)>();
            foreach (var path in paths)
            {
                string text;
                try
                {
                    text = File.ReadAllText(path);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // A file that is not there yet (no lease so far) says nothing.
                    if (exception is not FileNotFoundException) problem($"{path}: {exception.Message}");
                    continue;
                }

                foreach (var (name, (v4, v6)) in DhclientLeaseFile.Read(path, text, scheduler.Now, problem))
                {
                    var (knownV4, knownV6) = merged.GetValueOrDefault(name);
                    merged[name] = (v4 ?? knownV4, v6 ?? knownV6);
                }
            }

            foreach (var gone in _reported.Where(name => !merged.ContainsKey(name))) merged[gone] = (null, null);
            _reported.Clear();
            _reported.UnionWith(merged.Where(pair => pair.Value != (null, null)).Select(pair => pair.Key));
            return new Leases(merged);
        }
    }
}
