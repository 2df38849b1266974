using System.Text;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>Plans COPY: a query for COPY TO, the target columns and defaults for COPY FROM.</summary>
internal static partial class StatementPlanner
{
    private static CopyPlan PlanCopy(QueryPlanner planner, CatalogSnapshot catalog, CopyStatement copy, ulong version)
    {
        if (copy.FileName is not null)
        {
            // Server-side files would let any client read and write the server's files.
            throw new SqlException(
                SqlState.InsufficientPrivilege,
                copy.IsFrom ? "must be superuser or have privileges of the pg_read_server_files role to COPY from a file" : "must be superuser or have privileges of the pg_write_server_files role to COPY to a file",
                "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.");
        }

        if (copy.Query is { } query)
        {
            var plan = PlanSelect(planner, query, version);
            return new CopyPlan(version, "STDOUT", CopyOptions.From(copy, plan.Columns.Select(c => c.Name).ToArray()), plan);
        }

        var name = copy.Table!;
        var table = catalog.FindTable(name.Schema ?? CatalogSnapshot.PublicSchema, name.Name);
        if (table is null)
        {
            if (catalog.FindView(name.Schema ?? CatalogSnapshot.PublicSchema, name.Name) is not null)
            {
                throw copy.IsFrom
                    ? new SqlException(SqlState.WrongObjectType, $"cannot copy to view \"{name.Name}\"")
                    : new SqlException(SqlState.WrongObjectType, $"cannot copy from view \"{name.Name}\"", "Try the COPY (SELECT ...) TO variant.");
            }

            throw new SqlException(SqlState.UndefinedTable, $"relation \"{string.Join('.', name.Parts)}\" does not exist");
        }

        var targets = copy.Columns.Count > 0
            ? copy.Columns.Select(c => table.IndexOf(c) is var i && i >= 0 && c != QueryPlanner.RowIdColumn
                ? i
                : throw new SqlException(SqlState.UndefinedColumn, $"column \"{c}\" of relation \"{table.Name}\" does not exist")).ToArray()
            : Enumerable.Range(0, table.Columns.Count).Where(i => table.Columns[i].Name != QueryPlanner.RowIdColumn).ToArray();
        if (targets.Distinct().Count() != targets.Length)
        {
            throw new SqlException(SqlState.DuplicateColumn, $"column \"{table.Columns[targets.GroupBy(t => t).First(g => g.Count() > 1).Key].Name}\" specified more than once");
        }

        var names = targets.Select(i => table.Columns[i].Name).ToArray();
        var options = CopyOptions.From(copy, names);
        if (!copy.IsFrom)
        {
            var text = new StringBuilder("SELECT ");
            text.AppendJoin(", ", names.Select(Quote));
            text.Append(" FROM ").Append(Quote(table.Schema)).Append('.').Append(Quote(table.Name));
            var select = (SelectStatement)SqlParser.ParseScript(text.ToString()).Statements[0];
            return new CopyPlan(version, table.Name, options, PlanSelect(planner, select.Query, version));
        }

        var types = QueryPlanner.TypesOf(table);
        var defaults = table.Columns.Select((_, i) => targets.Contains(i) ? null : DmlPlanner.ColumnDefault(planner, table, i, types[i])).ToArray();
        var columns = targets.Select(i => new ResultColumn(table.Columns[i].Name, types[i], table.Id, (short)(i + 1))).ToArray();
        return new CopyPlan(version, table, options, targets, columns, defaults) { Checks = CheckConstraints.Bind(planner, table), Uniques = UniqueIndexes.For(catalog, table), References = ReferentialIntegrity.For(catalog, table) };
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
