using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>FOREIGN KEY constraints: declaring them, checking existing rows, and keeping them right through ALTER, TRUNCATE and DROP of either table.</summary>
internal sealed partial class DdlPlan
{
    /// <summary>The FOREIGN KEY clauses of a CREATE TABLE, column constraints first.</summary>
    private static List<(string? Name, string[] Columns, ForeignKeyReference Reference)> ForeignKeysOf(CreateTableStatement create) =>
    [
        .. create.Columns.SelectMany(c => c.Constraints.Where(k => k.Kind == ColumnConstraintKind.References).Select(k => (k.Name, new[] { c.Name }, k.References!))),
        .. create.Constraints.Where(k => k.Kind == TableConstraintKind.ForeignKey).Select(k => (k.Name, k.Columns.ToArray(), k.References!)),
    ];

    /// <summary>
    /// Adds FOREIGN KEY constraints to <paramref name="tableId"/> (declared against the catalog as it is now, so a
    /// table may reference itself) and checks the rows already there reference existing keys.
    /// </summary>
    private static async ValueTask AddForeignKeysAsync(StatementContext context, ulong tableId, List<(string? Name, string[] Columns, ForeignKeyReference Reference)> added)
    {
        if (added.Count == 0)
        {
            return;
        }

        var tx = context.Transaction;
        var table = tx.Catalog.FindTable(tableId)!;
        var taken = ForeignKeys.TakenNames(tx.Catalog, table);
        var keys = added.Select(a => ForeignKeys.Declare(tx.Catalog, table, a.Name, a.Columns, a.Reference, taken)).ToList();
        table = tx.AlterTable(table, ForeignKeys.WithKeys(table, ForeignKeys.Of(table).Concat(keys)));

        var check = ReferentialIntegrity.For(tx.Catalog, table, keys.Select(k => k.Name).ToHashSet(StringComparer.Ordinal));
        var run = check.Start();
        await foreach (var row in TableRows.ReadAsync(tx, table, cancellationToken: context.Cancellation).ConfigureAwait(false))
        {
            run.Written(null, row);
        }

        await run.FinishAsync(tx, null, context.Cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// After an ALTER of a table (now <paramref name="altered"/>): the constraints of other tables that referenced it,
    /// <paramref name="referencing"/>, follow a new table name and renamed columns.
    /// </summary>
    private static void FollowReferencingKeys(StatementContext context, TableDefinition altered, List<(TableDefinition Child, ForeignKey Key)> referencing, Dictionary<string, string?> origins)
    {
        var tx = context.Transaction;
        var renamedTo = origins.Where(o => o.Value is not null).ToDictionary(o => o.Value!, o => o.Key, StringComparer.Ordinal);
        foreach (var (child, key) in referencing)
        {
            var moved = key with
            {
                ParentSchema = altered.Schema,
                ParentTable = altered.Name,
                ParentColumns = [.. key.ParentColumns.Select(c => renamedTo.GetValueOrDefault(c, c))],
            };
            if (moved.ParentTable == key.ParentTable && moved.ParentColumns.SequenceEqual(key.ParentColumns))
            {
                continue;
            }

            var latest = tx.Catalog.FindTable(child.Id)!;
            tx.AlterTable(latest, ForeignKeys.WithKeys(latest, ForeignKeys.Of(latest).Select(k => k.Name == key.Name ? moved : k)));
        }
    }

    /// <summary>
    /// TRUNCATE of tables another table references: refused unless that table is truncated too, or with CASCADE,
    /// which adds every referencing table (PostgreSQL's notice names each).
    /// </summary>
    private static List<TableDefinition> WithReferencingTables(StatementContext context, List<TableDefinition> tables, bool cascade)
    {
        var catalog = context.Transaction.Catalog;
        var all = new List<TableDefinition>(tables);
        for (var i = 0; i < all.Count; i++)
        {
            foreach (var (child, _) in ForeignKeys.Referencing(catalog, all[i]))
            {
                if (all.Any(t => t.Id == child.Id))
                {
                    continue;
                }

                if (!cascade)
                {
                    throw new SqlException(
                        SqlState.FeatureNotSupported,
                        "cannot truncate a table referenced in a foreign key constraint",
                        hint: $"Truncate table \"{child.Name}\" at the same time, or use TRUNCATE ... CASCADE.",
                        detail: $"Table \"{child.Name}\" references \"{all[i].Name}\".");
                }

                context.Notices.Add($"truncate cascades to table \"{child.Name}\"");
                all.Add(child);
            }
        }

        return all;
    }

    /// <summary>
    /// A unique index (or UNIQUE constraint) a FOREIGN KEY finds its referenced rows by cannot go while the
    /// constraint is there (2BP01), as in PostgreSQL.
    /// </summary>
    private static void RequireNoReferencingKeys(CatalogSnapshot catalog, IndexDefinition index)
    {
        if (catalog.FindTable(index.TableId) is not { } table)
        {
            return;
        }

        if (!TableConstraints.IsPrimaryKey(table, index.Columns)
            && ForeignKeys.Referencing(catalog, table).FirstOrDefault(r => r.Key.ParentColumns.ToHashSet(StringComparer.Ordinal).SetEquals(index.Columns)) is { Child: not null } dependent)
        {
            var what = IsUniqueConstraint(index) ? $"constraint {index.Name} on table {Described(table)}" : $"index {index.Name}";
            throw new SqlException(
                SqlState.DependentObjectsStillExist,
                $"cannot drop {what} because other objects depend on it",
                hint: "Use DROP ... CASCADE to drop the dependent objects too.",
                detail: $"constraint {dependent.Key.Name} on table {Described(dependent.Child)} depends on index {index.Name}");
        }
    }

    /// <summary>A table as PostgreSQL names it in dependency messages: with its schema unless that is <c>public</c> (on the search path).</summary>
    private static string Described(TableDefinition table) =>
        table.Schema == CatalogSnapshot.PublicSchema ? table.Name : table.Schema + "." + table.Name;

    /// <summary>
    /// DROP TABLE of a table other tables reference: refused (2BP01) unless they go in the same statement, or with
    /// CASCADE, which drops the referencing constraints (not the tables), as PostgreSQL does.
    /// </summary>
    private static void DropReferencingKeys(StatementContext context, TableDefinition table, IReadOnlyCollection<ulong> dropped, bool cascade)
    {
        var tx = context.Transaction;
        var referencing = ForeignKeys.Referencing(tx.Catalog, table).Where(r => r.Child.Id != table.Id && !dropped.Contains(r.Child.Id)).ToList();
        if (referencing.Count == 0)
        {
            return;
        }

        if (!cascade)
        {
            throw new SqlException(
                SqlState.DependentObjectsStillExist,
                $"cannot drop table {Described(table)} because other objects depend on it",
                hint: "Use DROP ... CASCADE to drop the dependent objects too.",
                detail: string.Join('\n', referencing.Select(r => $"constraint {r.Key.Name} on table {Described(r.Child)} depends on table {Described(table)}")));
        }

        foreach (var (child, key) in referencing)
        {
            context.Notices.Add($"drop cascades to constraint {key.Name} on table {Described(child)}");
            var latest = tx.Catalog.FindTable(child.Id)!;
            tx.AlterTable(latest, ForeignKeys.WithKeys(latest, ForeignKeys.Of(latest).Where(k => k.Name != key.Name)));
        }
    }
}
