using MifActors.Persistence.Tests.Support;

namespace MifActors.Persistence.Tests;

public sealed class SqliteJournalSpec : JournalSpec
{
    private readonly string file;

    public SqliteJournalSpec()
        : this(StoreConfiguration.NewSqliteFile())
    {
    }

    private SqliteJournalSpec(string file)
        : base(StoreConfiguration.For("sqlite", StoreConfiguration.Sqlite(file)), new StoreSettings(StorePlugin.Sqlite, StoreConfiguration.Sqlite(file)))
    {
        this.file = file;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        StoreConfiguration.DeleteSqlite(file);
    }
}

public sealed class SqliteSnapshotStoreSpec : SnapshotStoreSpec
{
    private readonly string file;

    public SqliteSnapshotStoreSpec()
        : this(StoreConfiguration.NewSqliteFile())
    {
    }

    private SqliteSnapshotStoreSpec(string file)
        : base(StoreConfiguration.For("sqlite", StoreConfiguration.Sqlite(file)))
    {
        this.file = file;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        StoreConfiguration.DeleteSqlite(file);
    }
}
