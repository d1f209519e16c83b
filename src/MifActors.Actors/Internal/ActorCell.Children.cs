namespace MifActors.Actors.Internal;

/// <summary>Children: creation with unique names, lookup, and stopping. The table is shared with other threads
/// (the system creates top-level actors from anywhere), so it is guarded by a lock.</summary>
internal sealed partial class ActorCell
{
    private ChildrenTable? children;

    private ChildrenTable Table
    {
        get
        {
            var table = Volatile.Read(ref children);
            if (table is not null) return table;
            var fresh = new ChildrenTable();
            return Interlocked.CompareExchange(ref children, fresh, null) ?? fresh;
        }
    }

    private bool HasChildren => children?.Count > 0;

    private bool HasStoppingChildren => children?.HasStopping == true;

    public IEnumerable<IActorRef> Children => ChildrenSnapshot();

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (state >= LifeState.Terminating || IsClosed)
        {
            throw new InvalidOperationException($"{Path} is stopping and cannot create children");
        }

        var table = Table;
        var childName = name is null ? table.NextName() : ActorNames.Validate(name, Path);
        var child = new ActorCell(system, this, childName, ActorNames.NewUid(), props);
        if (!table.TryAdd(childName, child))
        {
            throw new InvalidActorNameException($"actor name \"{childName}\" is not unique: {Path} already has a child with that name");
        }

        child.Start();
        return child;
    }

    public IActorRef Child(string name) =>
        children is { } table && table.TryGet(name, out var child) ? child : ActorRefs.Nobody;

    public void Stop(IActorRef actorRef)
    {
        ArgumentNullException.ThrowIfNull(actorRef);
        if (ReferenceEquals(actorRef, this))
        {
            SendSystemMessage(new Terminate());
        }
        else if (actorRef is ActorCell cell && ReferenceEquals(cell.parent, this))
        {
            StopChild(cell);
        }
        else
        {
            throw new InvalidOperationException($"{Path} can stop only itself and its own children, not {actorRef.Path}");
        }
    }

    internal void StopChild(ActorCell child)
    {
        children?.MarkStopping(child);
        child.SendSystemMessage(new Terminate());
    }

    internal IReadOnlyList<ActorCell> ChildrenSnapshot() => children?.Snapshot() ?? [];

    /// <summary>
    /// Called by a child on its own thread as it terminates, before its watchers are told: whoever hears its
    /// Terminated can create a new actor under the same name at once, not only the parent.
    /// </summary>
    private void ReleaseChildName(ActorCell child) => children?.Release(child);

    private bool IsLiveChild(ActorCell child) => children is { } table && table.Contains(child);

    private void HandleChildTerminated(ActorCell child)
    {
        children?.Remove(child);
        if (state == LifeState.Recreating && !HasStoppingChildren)
        {
            FinishRecreate(extras?.RecreateCause ?? new ActorException("restart"));
        }
        else if (state == LifeState.Terminating && !HasChildren)
        {
            FinishTerminate();
        }
    }

    private sealed class ChildrenTable
    {
        private readonly Dictionary<string, ActorCell> byName = new(StringComparer.Ordinal);
        private HashSet<ActorCell>? stopping;
        // Children that freed their name at termination but whose ChildTerminated the parent has not handled yet:
        // they still count as children, so the parent never finishes stopping or restarting before it hears them.
        private HashSet<ActorCell>? released;
        private long nameCounter;

        public int Count
        {
            get
            {
                lock (byName) return byName.Count + (released?.Count ?? 0);
            }
        }

        public bool HasStopping
        {
            get
            {
                lock (byName) return stopping is { Count: > 0 };
            }
        }

        public string NextName() => ActorNames.Generated(Interlocked.Increment(ref nameCounter));

        public bool TryAdd(string name, ActorCell child)
        {
            lock (byName) return byName.TryAdd(name, child);
        }

        public bool TryGet(string name, out ActorCell child)
        {
            lock (byName) return byName.TryGetValue(name, out child!);
        }

        public bool Contains(ActorCell child)
        {
            lock (byName) return byName.TryGetValue(child.name, out var found) && ReferenceEquals(found, child);
        }

        public void MarkStopping(ActorCell child)
        {
            lock (byName)
            {
                if (Contains(child)) (stopping ??= []).Add(child);
            }
        }

        public void Remove(ActorCell child)
        {
            lock (byName)
            {
                if (byName.TryGetValue(child.name, out var found) && ReferenceEquals(found, child))
                {
                    byName.Remove(child.name);
                }

                stopping?.Remove(child);
                released?.Remove(child);
            }
        }

        /// <summary>Frees the name of a child that has terminated; it stays counted until <see cref="Remove"/>.</summary>
        public void Release(ActorCell child)
        {
            lock (byName)
            {
                if (!byName.TryGetValue(child.name, out var found) || !ReferenceEquals(found, child)) return;
                byName.Remove(child.name);
                (released ??= []).Add(child);
            }
        }

        public IReadOnlyList<ActorCell> Snapshot()
        {
            lock (byName) return byName.Count == 0 ? [] : [.. byName.Values];
        }
    }
}
