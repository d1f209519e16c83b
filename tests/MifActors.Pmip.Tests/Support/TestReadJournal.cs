using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;

namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// The one query a restarted node makes, <see cref="ICurrentPersistenceIdsQuery"/>, over Akka.Persistence.TestKit's
/// in-memory journal (a <see cref="MemoryJournal"/>, which answers <see cref="MemoryJournal.SelectCurrentPersistenceIds"/>):
/// scenario tests restart nodes over the in-memory journal as real nodes do over SQL. Configured as
/// <c>akka.persistence.query.journal.test</c> in <see cref="PmipTestConfig"/>.
/// </summary>
public sealed class TestReadJournal(ExtendedActorSystem system) : ICurrentPersistenceIdsQuery
{
    public Source<string, NotUsed> CurrentPersistenceIds() =>
        Source.FromTask(Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(PmipSettings.Get(system).JournalPlugin)
                .Ask<MemoryJournal.CurrentPersistenceIds>(new Func<IActorRef, object>(replyTo => new MemoryJournal.SelectCurrentPersistenceIds(0, replyTo)),
                    TimeSpan.FromSeconds(10), CancellationToken.None))
            .SelectMany(ids => ids.AllPersistenceIds);
}

/// <summary>Makes a <see cref="TestReadJournal"/>.</summary>
public sealed class TestReadJournalProvider(ExtendedActorSystem system, Config config) : IReadJournalProvider
{
    private readonly Config config = config;

    public IReadJournal GetReadJournal() => new TestReadJournal(system);
}
