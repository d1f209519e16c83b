using MifActors.Testing;
using MifActors.Persistence.Tests.Support;

namespace MifActors.Persistence.Tests;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlJournalSpec(PostgreSqlServer server)
    : JournalSpec(StoreConfiguration.For("postgresql", server.ConnectionString), new StoreSettings(StorePlugin.PostgreSql, server.ConnectionString));

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlSnapshotStoreSpec(PostgreSqlServer server)
    : SnapshotStoreSpec(StoreConfiguration.For("postgresql", server.ConnectionString));
