using System.Diagnostics;
using Npgsql;

namespace MifActors.Testing;

/// <summary>
/// A throw-away PostgreSQL server: initdb into a temp folder, listening on a Unix socket only, removed on dispose.
/// When <c>MIFACTORS_TEST_POSTGRES</c> holds a connection string, that server is used instead (and cannot be stopped).
/// PostgreSQL refuses to run as root, so as root the binaries run as the <c>postgres</c> user.
/// </summary>
public sealed class PostgreSqlServer : IDisposable
{
    private readonly string? directory;
    private readonly string? binaries;

    public PostgreSqlServer()
        : this(own: false)
    {
    }

    /// <summary>A server of our own even when MIFACTORS_TEST_POSTGRES is set, for tests that stop and start it.</summary>
    public static PostgreSqlServer StartOwn() => new(own: true);

    private PostgreSqlServer(bool own)
    {
        var external = Environment.GetEnvironmentVariable("MIFACTORS_TEST_POSTGRES");
        if (!own && !string.IsNullOrWhiteSpace(external))
        {
            ConnectionString = external;
            return;
        }

        binaries = FindBinaries();
        directory = Path.Combine(Path.GetTempPath(), "mifactors-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || IsRoot())
        {
            Run("chown", $"postgres:postgres {directory}", asPostgres: false);
        }

        Run(Path.Combine(binaries, "initdb"), $"-D {DataDirectory} -A trust -U postgres --no-sync -E UTF8", asPostgres: true);
        Start();
        var admin = new NpgsqlConnectionStringBuilder { Host = directory, Username = "postgres", Database = "postgres", Pooling = false };
        using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand("CREATE DATABASE mifactors", connection);
            create.ExecuteNonQuery();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder { Host = directory, Username = "postgres", Database = "mifactors" }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>True when this fixture owns the server and can stop and start it.</summary>
    public bool CanStop => directory is not null;

    private string DataDirectory => Path.Combine(directory!, "data");

    /// <summary>Starts (again) the server this fixture owns.</summary>
    public void Start() => Run(
        Path.Combine(binaries!, "pg_ctl"),
        $"-D {DataDirectory} -l {Path.Combine(directory!, "server.log")} -w -o \"-c listen_addresses='' -c unix_socket_directories={directory} -c fsync=on\" start",
        asPostgres: true);

    /// <summary>Stops the server at once, as a crash would, dropping every connection.</summary>
    public void Stop()
    {
        Run(Path.Combine(binaries!, "pg_ctl"), $"-D {DataDirectory} -m immediate -w stop", asPostgres: true);
        NpgsqlConnection.ClearAllPools();
    }

    public void Dispose()
    {
        if (directory is null) return;
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        Directory.Delete(directory, recursive: true);
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllText("/proc/self/status").Split('\n').Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Run(string program, string arguments, bool asPostgres)
    {
        var start = asPostgres && IsRoot()
            ? new ProcessStartInfo("runuser", $"-u postgres -- {program} {arguments}")
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = directory ?? Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }

    private static string FindBinaries()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : []))
        {
            if (File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb"))) return dir;
        }

        throw new InvalidOperationException("PostgreSQL binaries (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin; install PostgreSQL 15 or set MIFACTORS_TEST_POSTGRES");
    }
}
