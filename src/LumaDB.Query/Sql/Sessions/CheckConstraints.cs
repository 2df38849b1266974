using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// CHECK constraints. A table keeps each as an option <c>check:name</c> holding the condition's SQL text, so the
/// catalog stores them with no format of their own; every row INSERT, UPDATE, ON CONFLICT DO UPDATE and COPY
/// write must not make a condition false (NULL passes), as in PostgreSQL.
/// </summary>
internal static class CheckConstraints
{
    /// <summary>The option-name prefix of a CHECK constraint.</summary>
    public const string OptionPrefix = "check:";

    /// <summary>A table's CHECK constraints, by name.</summary>
    public static IEnumerable<(string Name, string Condition)> Of(TableDefinition table) =>
        table.Options.Where(o => o.Key.StartsWith(OptionPrefix, StringComparison.Ordinal))
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => (o.Key[OptionPrefix.Length..], o.Value));

    /// <summary>Whether <paramref name="table"/> has a CHECK constraint named <paramref name="name"/>.</summary>
    public static bool Has(TableDefinition table, string name) => table.Options.ContainsKey(OptionPrefix + name);

    /// <summary>
    /// Binds <paramref name="condition"/> over the table's columns as a boolean, as CREATE and ALTER TABLE check it
    /// (an unknown column, a non-boolean result or a subquery is an error then, not at the first write).
    /// </summary>
    public static BoundExpression BindCondition(QueryPlanner planner, IReadOnlyList<PlanColumn> columns, Expression condition)
    {
        var bound = planner.BindOver(columns, condition, "check constraints", topLevel: false);
        if (ContainsSubquery(bound))
        {
            throw new SqlException(SqlState.FeatureNotSupported, "cannot use subquery in check constraint");
        }

        return SqlBinder.At(condition, () => bound.Type.Kind switch
        {
            SqlTypeKind.Boolean => bound,
            SqlTypeKind.Unknown => planner.CoerceForAssignment(bound, SqlType.Boolean, "check"),
            _ => throw new SqlException(SqlState.DatatypeMismatch, $"argument of CHECK must be type boolean, not type {bound.Type.DisplayName}"),
        });
    }

    /// <summary>
    /// PostgreSQL's name for an unnamed CHECK: <c>table_column_check</c> when the condition reads exactly one
    /// column, else <c>table_check</c>, with 1, 2... added until no other constraint of the table has it.
    /// </summary>
    public static string NameFor(string table, BoundExpression condition, IReadOnlyList<PlanColumn> columns, ICollection<string> taken)
    {
        var read = new HashSet<int>();
        var stem = BoundTree.TryCollectColumns(condition, read) && read.Count == 1
            ? $"{table}_{columns[read.First()].Name}_check"
            : $"{table}_check";
        var name = ObjectNames.Choose(stem, taken.Contains);
        taken.Add(name);
        return name;
    }

    /// <summary>A table's conditions bound over its columns (in table order), for a writer to check rows with.</summary>
    public static (string Name, BoundExpression Condition)[] Bind(QueryPlanner planner, TableDefinition table)
    {
        var checks = Of(table).ToArray();
        if (checks.Length == 0)
        {
            return [];
        }

        var columns = TableRows.ColumnsOf(table);
        return [.. checks.Select(c => (c.Name, BindCondition(planner, columns, Parser.SqlParser.ParseExpression(c.Condition))))];
    }

    /// <summary>Throws PostgreSQL's 23514 when <paramref name="values"/> (a whole row, table order) makes a condition false.</summary>
    public static void CheckRow(QueryRuntime runtime, TableDefinition table, PlanColumn[] columns, (string Name, BoundExpression Condition)[] checks, object?[] values)
    {
        if (checks.Length == 0)
        {
            return;
        }

        var row = BatchOps.FromRows(columns, [values]);
        foreach (var (name, condition) in checks)
        {
            var result = BatchOps.Evaluate(runtime, condition, row);
            if (!result.IsNull(0) && !result.As<bool>()[0])
            {
                throw new SqlException(
                    SqlState.CheckViolation,
                    $"new row for relation \"{table.Name}\" violates check constraint \"{name}\"",
                    detail: $"Failing row contains ({FormatRow(table, columns, values)}).")
                {
                    Schema = table.Schema,
                    Table = table.Name,
                    Constraint = name,
                };
            }
        }
    }

    /// <summary>A row as PostgreSQL's DETAIL lists it: the visible columns' text, <c>null</c> for NULL.</summary>
    private static string FormatRow(TableDefinition table, PlanColumn[] columns, object?[] values) =>
        string.Join(", ", values.Select((v, i) => (v, i))
            .Where(x => table.Columns[x.i].Name != QueryPlanner.RowIdColumn)
            .Select(x => x.v is null ? "null" : SqlText.Format(x.v, columns[x.i].Type)));

    private static bool ContainsSubquery(BoundExpression condition) =>
        condition is BoundSubquery || BoundTree.Children(condition).Any(ContainsSubquery);
}
