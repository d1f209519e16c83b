using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace MifActors.Persistence.Tests.Support;

/// <summary>Configuration pointing journal and snapshot store at one database.</summary>
public static class StoreConfiguration
{
    public static IConfiguration For(string plugin, string connectionString) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mifactors:persistence:journal:plugin"] = plugin,
            [$"mifactors:persistence:journal:{plugin}:connection-string"] = connectionString,
            ["mifactors:persistence:snapshot-store:plugin"] = plugin,
            [$"mifactors:persistence:snapshot-store:{plugin}:connection-string"] = connectionString,
        })
        .Build();

    /// <summary>A fresh SQLite file in the temp folder.</summary>
    public static string NewSqliteFile() => Path.Combine(Path.GetTempPath(), "mifactors-test-" + Guid.NewGuid().ToString("N") + ".db");

    public static string Sqlite(string file) => new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString;

    public static void DeleteSqlite(string file)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(file + suffix);
            }
            catch (IOException)
            {
                // still open by a connection that is closing; the temp folder is cleaned eventually
            }
        }
    }
}
