using System.Diagnostics.CodeAnalysis;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;

namespace LumaDB.Query.Sql.Planning;

/// <summary>The planner's entry to virtual tables: resolution (catalog-aware when the provider is) and the scan node.</summary>
internal static class SystemTableScans
{
    /// <summary>Resolves through <paramref name="provider"/>, passing the catalog to an <see cref="IPushdownTableProvider"/>.</summary>
    public static bool TryResolve(
        ISystemTableProvider provider, string? schema, string name, CatalogSnapshot? catalog,
        [NotNullWhen(true)] out SystemTable? table, out IFilteredRowSource? filtered)
    {
        if (provider is IPushdownTableProvider pushdown)
        {
            return pushdown.TryResolve(schema, name, catalog, out table, out filtered);
        }

        filtered = null;
        return provider.TryResolve(schema, name, out table);
    }

    /// <summary>The scan of a resolved virtual table: predicate-aware when the table has a filtered producer.</summary>
    public static PlanNode Create(SystemTable table, IFilteredRowSource? filtered, IReadOnlyList<PlanColumn> columns) =>
        filtered is null ? new SystemScanNode(table, columns) : new FilteredSystemScanNode(table, filtered, columns);

    /// <summary>Hands a WHERE predicate to the virtual table scan directly below, when that scan can use it.</summary>
    public static void Offer(PlanNode node, BoundExpression predicate)
    {
        if (node is FilteredSystemScanNode scan)
        {
            scan.Offer(predicate);
        }
    }
}
