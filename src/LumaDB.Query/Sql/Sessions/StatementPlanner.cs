using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>Plans one statement into a <see cref="PreparedStatement"/> whose <see cref="PreparedStatement.Plan"/> is a <see cref="StatementPlan"/>.</summary>
internal static partial class StatementPlanner
{
    public static PreparedStatement Prepare(string text, Statement statement, CatalogSnapshot catalog, ISystemTableProvider? system, IReadOnlyList<SqlType>? parameterTypes, SessionSettings settings)
    {
        _ = settings;
        var planner = new QueryPlanner(catalog, system, parameterTypes);
        var version = catalog.Version;
        StatementPlan plan = statement switch
        {
            SelectStatement select => PlanSelect(planner, select.Query, version),
            InsertStatement insert => DmlPlanner.PlanInsert(planner, catalog, insert, version),
            UpdateStatement update => DmlPlanner.PlanUpdate(planner, catalog, update, version),
            DeleteStatement delete => DmlPlanner.PlanDelete(planner, catalog, delete, version),
            ExplainStatement explain => PlanExplain(planner, catalog, explain, version),
            CopyStatement copy => PlanCopy(planner, catalog, copy, version),
            _ => new DdlPlan(version, statement, planner),
        };
        var columns = plan switch
        {
            QueryStatementPlan q => q.Columns,
            DmlPlan d => d.Returning,
            ExplainPlan => [new ResultColumn("QUERY PLAN", SqlType.Text)],
            // SHOW answers rows too: Describe must announce them or an extended-protocol client meets a bare DataRow.
            _ when statement is ShowStatement show => ShowColumns(show),
            _ => (IReadOnlyList<ResultColumn>)[],
        };
        var types = planner.Binder.ParameterTypes;
        return new PreparedStatement(text, statement, types, columns) { Plan = plan };
    }

    /// <summary>The columns <c>SHOW</c> answers with, as <see cref="SqlSession"/> produces them.</summary>
    internal static ResultColumn[] ShowColumns(ShowStatement show) =>
        string.Equals(show.Name, "all", StringComparison.OrdinalIgnoreCase)
            ? [new("name", SqlType.Text), new("setting", SqlType.Text), new("description", SqlType.Text)]
            : [new(show.Name.ToLowerInvariant(), SqlType.Text)];

    private static QueryStatementPlan PlanSelect(QueryPlanner planner, QueryExpression query, ulong version)
    {
        var root = planner.PlanQuery(query);
        var columns = root.Columns.Select(c => new ResultColumn(c.Name, c.Type, c.TableId, c.ColumnNumber)).ToArray();
        return new QueryStatementPlan(version, root, planner.Scans, columns)
        {
            Locking = query.Locking is { Count: > 0 } locking ? locking.Max(l => l.WaitPolicy) : null,
        };
    }

    private static ExplainPlan PlanExplain(QueryPlanner planner, CatalogSnapshot catalog, ExplainStatement explain, ulong version)
    {
        var analyze = explain.Options.Any(o => o.Name == "analyze" && o.Value is not (BooleanLiteral { Value: false } or StringLiteral { Value: "false" or "off" }));
        StatementPlan inner = explain.Statement switch
        {
            SelectStatement select => PlanSelect(planner, select.Query, version),
            InsertStatement insert => DmlPlanner.PlanInsert(planner, catalog, insert, version),
            UpdateStatement update => DmlPlanner.PlanUpdate(planner, catalog, update, version),
            DeleteStatement delete => DmlPlanner.PlanDelete(planner, catalog, delete, version),
            _ => throw new SqlException(SqlState.FeatureNotSupported, "EXPLAIN supports SELECT, INSERT, UPDATE and DELETE"),
        };
        return new ExplainPlan(version, inner, analyze);
    }
}
