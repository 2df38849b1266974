using System.Collections.Immutable;

namespace LumaDB.Engine.Catalog;

/// <summary>
/// The catalog as one transaction sees it: committed definitions at its snapshot plus its own uncommitted
/// DDL. Names are matched exactly (the query layer folds unquoted identifiers to lower case first).
/// Immutable: every change makes a new snapshot sharing the unchanged parts.
/// </summary>
public sealed class CatalogSnapshot
{
    /// <summary>The schema every catalog has.</summary>
    public const string PublicSchema = "public";

    private static long s_localVersion = long.MinValue;

    internal CatalogSnapshot(
        ulong version,
        ulong nextId,
        ImmutableSortedSet<string> schemas,
        ImmutableDictionary<ulong, TableDefinition> tables,
        ImmutableDictionary<ulong, ViewDefinition> views,
        ImmutableDictionary<ulong, IndexDefinition> indexes,
        ImmutableDictionary<string, RoleDefinition> roles,
        ImmutableDictionary<ulong, TableDefinition> retired,
        ImmutableDictionary<ulong, SequenceDefinition> sequences)
    {
        Version = version;
        NextId = nextId;
        SchemaNames = schemas;
        TablesById = tables;
        ViewsById = views;
        IndexesById = indexes;
        RolesByName = roles;
        Retired = retired;
        SequencesById = sequences;
    }

    /// <summary>A number that changes whenever any definition changes; plan caches compare it.</summary>
    public ulong Version { get; }

    /// <summary>Schemas by name (<c>public</c> always exists).</summary>
    public IReadOnlyCollection<string> Schemas => SchemaNames;

    /// <summary>Every table (not the internal tables unique indexes keep their entries in).</summary>
    public IReadOnlyCollection<TableDefinition> Tables => [.. TablesById.Values.Where(t => !UniqueIndexStorage.IsIndexStorage(t))];

    /// <summary>Every view.</summary>
    public IReadOnlyCollection<ViewDefinition> Views => [.. ViewsById.Values];

    /// <summary>Every index.</summary>
    public IReadOnlyCollection<IndexDefinition> Indexes => [.. IndexesById.Values];

    /// <summary>Every sequence.</summary>
    public IReadOnlyCollection<SequenceDefinition> Sequences => [.. SequencesById.Values];

    /// <summary>Every role.</summary>
    public IReadOnlyCollection<RoleDefinition> Roles => [.. RolesByName.Values];

    /// <summary>The next catalog id to hand out; ids are never reused.</summary>
    internal ulong NextId { get; }

    internal ImmutableSortedSet<string> SchemaNames { get; }

    internal ImmutableDictionary<ulong, TableDefinition> TablesById { get; }

    internal ImmutableDictionary<ulong, ViewDefinition> ViewsById { get; }

    internal ImmutableDictionary<ulong, IndexDefinition> IndexesById { get; }

    internal ImmutableDictionary<string, RoleDefinition> RolesByName { get; }

    /// <summary>Layouts of dropped or rewritten tables whose rows or tombstones storage may still hold.</summary>
    internal ImmutableDictionary<ulong, TableDefinition> Retired { get; }

    internal ImmutableDictionary<ulong, SequenceDefinition> SequencesById { get; }

    /// <summary>The empty catalog of a new database: the <c>public</c> schema only.</summary>
    internal static CatalogSnapshot Empty { get; } = new(
        0,
        CatalogStore.FirstUserId,
        ImmutableSortedSet.Create(StringComparer.Ordinal, PublicSchema),
        ImmutableDictionary<ulong, TableDefinition>.Empty,
        ImmutableDictionary<ulong, ViewDefinition>.Empty,
        ImmutableDictionary<ulong, IndexDefinition>.Empty,
        ImmutableDictionary<string, RoleDefinition>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<ulong, TableDefinition>.Empty,
        ImmutableDictionary<ulong, SequenceDefinition>.Empty);

    /// <summary>No catalog at all, not even the id counter: what a new shard holds before its first commit.</summary>
    internal static CatalogSnapshot Nothing { get; } = new(
        0,
        0,
        ImmutableSortedSet.Create<string>(StringComparer.Ordinal),
        Empty.TablesById,
        Empty.ViewsById,
        Empty.IndexesById,
        Empty.RolesByName,
        Empty.Retired,
        Empty.SequencesById);

    /// <summary>The table named <paramref name="name"/> in <paramref name="schema"/>, or null.</summary>
    public TableDefinition? FindTable(string schema, string name)
    {
        foreach (var table in TablesById.Values)
        {
            if (table.Name == name && table.Schema == schema && !UniqueIndexStorage.IsIndexStorage(table))
            {
                return table;
            }
        }

        return null;
    }

    /// <summary>The table with id <paramref name="id"/>, or null.</summary>
    public TableDefinition? FindTable(ulong id) => TablesById.GetValueOrDefault(id);

    /// <summary>The view named <paramref name="name"/> in <paramref name="schema"/>, or null.</summary>
    public ViewDefinition? FindView(string schema, string name)
    {
        foreach (var view in ViewsById.Values)
        {
            if (view.Name == name && view.Schema == schema)
            {
                return view;
            }
        }

        return null;
    }

    /// <summary>The index named <paramref name="name"/> in <paramref name="schema"/>, or null.</summary>
    public IndexDefinition? FindIndex(string schema, string name)
    {
        foreach (var index in IndexesById.Values)
        {
            if (index.Name == name && index.Schema == schema)
            {
                return index;
            }
        }

        return null;
    }

    /// <summary>The sequence named <paramref name="name"/> in <paramref name="schema"/>, or null.</summary>
    public SequenceDefinition? FindSequence(string schema, string name)
    {
        foreach (var sequence in SequencesById.Values)
        {
            if (sequence.Name == name && sequence.Schema == schema)
            {
                return sequence;
            }
        }

        return null;
    }

    /// <summary>The sequence with id <paramref name="id"/>, or null.</summary>
    public SequenceDefinition? FindSequence(ulong id) => SequencesById.GetValueOrDefault(id);

    /// <summary>The sequences owned by columns of table <paramref name="tableId"/>.</summary>
    public IReadOnlyList<SequenceDefinition> SequencesOwnedBy(ulong tableId) =>
        [.. SequencesById.Values.Where(s => s.Ownership != SequenceOwnership.None && s.OwnerTableId == tableId)];

    /// <summary>The sequence behind identity column <paramref name="column"/> of table <paramref name="tableId"/>, or null when it is not one.</summary>
    public SequenceDefinition? IdentityOf(ulong tableId, string column)
    {
        foreach (var sequence in SequencesById.Values)
        {
            if (sequence.IsIdentity && sequence.IsOwnedBy(tableId, column))
            {
                return sequence;
            }
        }

        return null;
    }

    /// <summary>The table unique index <paramref name="index"/> keeps its entries in, or null when it keeps none (not unique).</summary>
    public TableDefinition? StorageOf(IndexDefinition index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return TablesById.GetValueOrDefault(index.Id) is { } table && UniqueIndexStorage.IsIndexStorage(table) ? table : null;
    }

    /// <summary>The indexes of table <paramref name="tableId"/>.</summary>
    public IReadOnlyList<IndexDefinition> IndexesOf(ulong tableId) => [.. IndexesById.Values.Where(i => i.TableId == tableId)];

    /// <summary>The role named <paramref name="name"/>, or null.</summary>
    public RoleDefinition? FindRole(string name) => RolesByName.GetValueOrDefault(name);

    /// <summary>Whether a table, view, index or sequence named <paramref name="name"/> exists in <paramref name="schema"/>.</summary>
    public bool RelationExists(string schema, string name) =>
        FindTable(schema, name) is not null || FindView(schema, name) is not null || FindIndex(schema, name) is not null || FindSequence(schema, name) is not null;

    /// <summary>A copy with some parts replaced and a version no committed catalog has.</summary>
    internal CatalogSnapshot With(
        ulong? nextId = null,
        ImmutableSortedSet<string>? schemas = null,
        ImmutableDictionary<ulong, TableDefinition>? tables = null,
        ImmutableDictionary<ulong, ViewDefinition>? views = null,
        ImmutableDictionary<ulong, IndexDefinition>? indexes = null,
        ImmutableDictionary<string, RoleDefinition>? roles = null,
        ImmutableDictionary<ulong, TableDefinition>? retired = null,
        ImmutableDictionary<ulong, SequenceDefinition>? sequences = null) =>
        new(
            (ulong)Interlocked.Increment(ref s_localVersion),
            nextId ?? NextId,
            schemas ?? SchemaNames,
            tables ?? TablesById,
            views ?? ViewsById,
            indexes ?? IndexesById,
            roles ?? RolesByName,
            retired ?? Retired,
            sequences ?? SequencesById);

    /// <summary>The same definitions under a committed version (the commit seq that made them).</summary>
    internal CatalogSnapshot AsCommitted(ulong seq) =>
        new(seq, NextId, SchemaNames, TablesById, ViewsById, IndexesById, RolesByName, Retired, SequencesById);
}
