using MifActors.Testing;

namespace MifActors.Persistence.Tests.Support;

/// <summary>One server shared by every test class in this collection.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
