using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>UNIQUE constraints and unique indexes: creating and filling them, and keeping them with their table through ALTER TABLE.</summary>
internal sealed partial class DdlPlan
{
    /// <summary>The index option that marks an index as a table's UNIQUE constraint (dropped by DROP CONSTRAINT, listed in pg_constraint).</summary>
    internal const string ConstraintOption = "luma.constraint";

    /// <summary>Whether <paramref name="index"/> is a UNIQUE constraint rather than an index made by CREATE UNIQUE INDEX.</summary>
    internal static bool IsUniqueConstraint(IndexDefinition index) => index.Unique && index.Options.ContainsKey(ConstraintOption);

    /// <summary>The UNIQUE constraints of a CREATE TABLE, column constraints first, as PostgreSQL takes them.</summary>
    private static List<(string? Name, string[] Columns)> UniqueConstraintsOf(CreateTableStatement create) =>
    [
        .. create.Columns.SelectMany(c => c.Constraints.Where(k => k.Kind == ColumnConstraintKind.Unique).Select(k => (k.Name, new[] { c.Name }))),
        .. create.Constraints.Where(k => k.Kind == TableConstraintKind.Unique).Select(k => (k.Name, k.Columns.ToArray())),
    ];

    /// <summary>
    /// Adds a UNIQUE constraint (or, with <paramref name="constraint"/> false, a unique index) to
    /// <paramref name="table"/> and fills it from the rows this transaction sees: 23505 when two share values.
    /// </summary>
    private static async ValueTask<IndexDefinition> AddUniqueAsync(
        StatementContext context, TableDefinition table, string? name, IReadOnlyList<string> columns, bool constraint, IReadOnlyDictionary<string, string>? options = null)
    {
        var tx = context.Transaction;
        if (Engine.Telemetry.TelemetryTables.IsTelemetryTable(table))
        {
            // OTLP ingestion writes these tables without going through SQL writers, so it could not keep entries.
            throw new SqlException(SqlState.FeatureNotSupported, $"unique indexes on \"{table.Name}\" are not supported: OTLP ingestion writes it directly");
        }

        if (table.TimeColumn >= 0 && table.Ttl is not null)
        {
            // Retention drops whole segments of rows, not through SQL writers, so their entries would stay behind.
            throw new SqlException(SqlState.FeatureNotSupported, $"unique indexes on \"{table.Name}\" are not supported: rows past its ttl are dropped without their index entries");
        }

        foreach (var column in columns)
        {
            if (table.IndexOf(column) < 0 || column == QueryPlanner.RowIdColumn)
            {
                throw new SqlException(SqlState.UndefinedColumn, $"column \"{column}\" named in key does not exist");
            }
        }

        if (columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new SqlException(SqlState.DuplicateColumn, $"column \"{twice.Key}\" appears twice in unique constraint");
        }

        name ??= ConstraintIndexName(tx.Catalog, table, columns);
        if (tx.Catalog.RelationExists(table.Schema, name))
        {
            throw new SqlException(SqlState.DuplicateTable, $"relation \"{name}\" already exists");
        }

        var indexOptions = new Dictionary<string, string>(options ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (constraint)
        {
            indexOptions[ConstraintOption] = "unique";
        }

        var index = tx.CreateIndex(new IndexDefinition(0, table.Schema, name, table.Id, [.. columns], "btree", Unique: true, indexOptions));
        await UniqueIndexes.BuildAsync(tx, tx.Catalog.FindTable(table.Id)!, index, context.Cancellation).ConfigureAwait(false);
        return index;
    }

    /// <summary>PostgreSQL's name for an unnamed UNIQUE constraint: <c>table_col1_col2_key</c>, with a number added while it is taken.</summary>
    private static string ConstraintIndexName(CatalogSnapshot catalog, TableDefinition table, IReadOnlyList<string> columns) =>
        ObjectNames.Choose($"{table.Name}_{string.Join('_', columns)}_key", name => catalog.RelationExists(table.Schema, name));

    /// <summary>
    /// Keeps a table's indexes with it through an ALTER TABLE: renamed columns are renamed in them, an index on a
    /// dropped column goes (PostgreSQL's dependency), and when the rows were rewritten (a new table id) each unique
    /// index is made again and refilled from the rewritten rows, since its entries point at the old layout.
    /// </summary>
    private static async ValueTask FollowIndexesAsync(StatementContext context, TableDefinition current, TableDefinition altered, Dictionary<string, string?> origins)
    {
        var tx = context.Transaction;
        var renamedTo = origins.Where(o => o.Value is not null).ToDictionary(o => o.Value!, o => o.Key, StringComparer.Ordinal);
        foreach (var index in tx.Catalog.IndexesOf(altered.Id).OrderBy(i => i.Id))
        {
            // A column now under an indexed column's old name that came from elsewhere is not the indexed one.
            var columns = index.Columns.Select(c => renamedTo.TryGetValue(c, out var renamed) ? renamed : origins.ContainsKey(c) ? null : c).ToArray();
            if (columns.Any(c => c is null || altered.IndexOf(c) < 0))
            {
                tx.DropIndex(index);
                continue;
            }

            var rewritten = altered.Id != current.Id;
            if (!rewritten && columns.SequenceEqual(index.Columns))
            {
                continue;
            }

            tx.DropIndex(index);
            var table = tx.Catalog.FindTable(altered.Id)!;
            if (index.Unique)
            {
                await AddUniqueAsync(context, table, index.Name, columns!, IsUniqueConstraint(index), index.Options).ConfigureAwait(false);
            }
            else
            {
                tx.CreateIndex(index with { Id = 0, TableId = table.Id, Columns = columns! });
            }
        }
    }
}
