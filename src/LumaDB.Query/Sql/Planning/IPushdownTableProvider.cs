using System.Diagnostics.CodeAnalysis;
using LumaDB.Engine.Catalog;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// A <see cref="ISystemTableProvider"/> that sees the statement's catalog while resolving (so it can yield to a
/// user table of the same name) and may hand out a producer that uses the scan's predicates.
/// </summary>
public interface IPushdownTableProvider : ISystemTableProvider
{
    /// <summary>Finds the virtual table <paramref name="name"/>; <paramref name="filtered"/> is set when its rows can be filtered at the source.</summary>
    /// <param name="schema">The schema named in the query, or null when unqualified.</param>
    /// <param name="name">The table name (case-folded).</param>
    /// <param name="catalog">The catalog the statement is planned against, when there is one.</param>
    /// <param name="table">The table when found.</param>
    /// <param name="filtered">The predicate-aware producer, or null when the table only has <see cref="SystemTable.Rows"/>.</param>
    bool TryResolve(string? schema, string name, CatalogSnapshot? catalog, [NotNullWhen(true)] out SystemTable? table, out IFilteredRowSource? filtered);
}
