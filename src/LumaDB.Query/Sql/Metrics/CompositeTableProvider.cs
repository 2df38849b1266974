using System.Diagnostics.CodeAnalysis;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Planning;

namespace LumaDB.Query.Sql.Metrics;

/// <summary>
/// Asks several virtual-table providers in turn; the first that knows a name wins. The server puts the catalog
/// tables (pg_catalog, information_schema) first and the metric tables after them.
/// </summary>
public sealed class CompositeTableProvider : IPushdownTableProvider
{
    private readonly ISystemTableProvider[] _providers;

    /// <summary>Creates a provider over <paramref name="providers"/>, asked in this order.</summary>
    public CompositeTableProvider(params ISystemTableProvider[] providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = providers;
    }

    /// <inheritdoc/>
    public bool TryResolve(string? schema, string name, [NotNullWhen(true)] out SystemTable? table) =>
        TryResolve(schema, name, null, out table, out _);

    /// <inheritdoc/>
    public bool TryResolve(string? schema, string name, CatalogSnapshot? catalog, [NotNullWhen(true)] out SystemTable? table, out IFilteredRowSource? filtered)
    {
        foreach (var provider in _providers)
        {
            if (provider is IPushdownTableProvider pushdown)
            {
                if (pushdown.TryResolve(schema, name, catalog, out table, out filtered))
                {
                    return true;
                }
            }
            else if (provider.TryResolve(schema, name, out table))
            {
                filtered = null;
                return true;
            }
        }

        table = null;
        filtered = null;
        return false;
    }
}
