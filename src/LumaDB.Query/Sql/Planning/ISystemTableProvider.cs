namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// Supplies virtual tables (pg_catalog, information_schema and the like) that the planner resolves before
/// the catalog's own tables. A provider is given to <see cref="Sessions.SqlSession"/>; its tables are read-only.
/// </summary>
public interface ISystemTableProvider
{
    /// <summary>Finds the virtual table <paramref name="name"/> in <paramref name="schema"/> (names already case-folded).</summary>
    /// <param name="schema">The schema named in the query, or null when the name was unqualified (search pg_catalog first, as PostgreSQL does).</param>
    /// <param name="name">The table name.</param>
    /// <param name="table">The table when found.</param>
    bool TryResolve(string? schema, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SystemTable? table);
}
