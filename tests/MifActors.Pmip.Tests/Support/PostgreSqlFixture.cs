using MifActors.Testing;
using Npgsql;

namespace MifActors.Pmip.Tests.Support;

/// <summary>One throw-away PostgreSQL 15 server for a test class; each test gets a database of its own.</summary>
public sealed class PostgreSqlFixture : IDisposable
{
    private readonly PostgreSqlServer server = new();
    private int databases;

    /// <summary>A new, empty database on the server: its connection string.</summary>
    public string NewDatabase()
    {
        var name = $"pmip_{Environment.ProcessId}_{Interlocked.Increment(ref databases)}";
        using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        server.Dispose();
    }
}
