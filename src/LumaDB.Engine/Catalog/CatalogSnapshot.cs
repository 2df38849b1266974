namespace LumaDB.Engine.Catalog;

/// <summary>
/// The catalog as one transaction sees it: committed definitions at its snapshot plus its own uncommitted
/// DDL. Names are matched exactly (the query layer folds unquoted identifiers to lower case first).
/// </summary>
public sealed class CatalogSnapshot
{
    // CONTRACT: filled in by the catalog implementation.

    /// <summary>A number that changes whenever any definition changes; plan caches compare it.</summary>
    public ulong Version => throw new NotImplementedException();

    /// <summary>Schemas by name (<c>public</c> always exists).</summary>
    public IReadOnlyCollection<string> Schemas => throw new NotImplementedException();

    /// <summary>Every table.</summary>
    public IReadOnlyCollection<TableDefinition> Tables => throw new NotImplementedException();

    /// <summary>Every view.</summary>
    public IReadOnlyCollection<ViewDefinition> Views => throw new NotImplementedException();

    /// <summary>Every index.</summary>
    public IReadOnlyCollection<IndexDefinition> Indexes => throw new NotImplementedException();

    /// <summary>Every role.</summary>
    public IReadOnlyCollection<RoleDefinition> Roles => throw new NotImplementedException();

    /// <summary>The table named <paramref name="name"/> in <paramref name="schema"/>, or null.</summary>
    public TableDefinition? FindTable(string schema, string name) => throw new NotImplementedException();

    /// <summary>The table with id <paramref name="id"/>, or null.</summary>
    public TableDefinition? FindTable(ulong id) => throw new NotImplementedException();

    /// <summary>The view named <paramref name="name"/> in <paramref name="schema"/>, or null.</summary>
    public ViewDefinition? FindView(string schema, string name) => throw new NotImplementedException();

    /// <summary>The role named <paramref name="name"/>, or null.</summary>
    public RoleDefinition? FindRole(string name) => throw new NotImplementedException();
}
