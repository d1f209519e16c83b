using System.Data.Common;

namespace MifActors.Persistence.Internal;

/// <summary>Makes sure a store's schema exists on the first connection opened (and on the next, if that failed).</summary>
internal sealed class SchemaOnce<TConnection>(Func<TConnection, CancellationToken, Task> ensure)
    where TConnection : DbConnection
{
    private volatile bool ready;

    /// <summary>Returns <paramref name="connection"/> once the schema is there; disposes it if that failed.</summary>
    public async Task<TConnection> OnOpenedAsync(TConnection connection, CancellationToken cancellationToken)
    {
        if (ready) return connection;
        try
        {
            await ensure(connection, cancellationToken).ConfigureAwait(false);
            ready = true;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
