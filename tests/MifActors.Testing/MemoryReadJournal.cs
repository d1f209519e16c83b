using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;

namespace MifActors.Testing;

/// <summary>
/// <see cref="ICurrentPersistenceIdsQuery"/> over an in-memory journal (Akka's <see cref="MemoryJournal"/>, or
/// Akka.Persistence.TestKit's journal built on it, which answer <see cref="MemoryJournal.SelectCurrentPersistenceIds"/>):
/// what a restarted node asks for when tests and baselines run it without a database. The journal is the plugin its
/// configuration names in <c>write-plugin</c>:
/// <code>
/// akka.persistence.query.journal.memory {
///   class = "MifActors.Testing.MemoryReadJournalProvider, MifActors.Testing"
///   write-plugin = "akka.persistence.journal.inmem"
/// }
/// </code>
/// </summary>
public sealed class MemoryReadJournal(ExtendedActorSystem system, string writePlugin) : ICurrentPersistenceIdsQuery
{
    public Source<string, NotUsed> CurrentPersistenceIds() =>
        Source.FromTask(Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(writePlugin)
                .Ask<MemoryJournal.CurrentPersistenceIds>(new Func<IActorRef, object>(replyTo => new MemoryJournal.SelectCurrentPersistenceIds(0, replyTo)),
                    TimeSpan.FromSeconds(10), CancellationToken.None))
            .SelectMany(ids => ids.AllPersistenceIds);
}

/// <summary>Makes a <see cref="MemoryReadJournal"/> for the journal its configuration's <c>write-plugin</c> names.</summary>
public sealed class MemoryReadJournalProvider(ExtendedActorSystem system, Config config) : IReadJournalProvider
{
    public IReadJournal GetReadJournal() =>
        new MemoryReadJournal(system, config.GetString("write-plugin", null)
            ?? throw new InvalidOperationException("the memory read journal's configuration has no write-plugin: name the journal it reads"));
}
