using System.Globalization;
using LumaDB.Query.Sql.Execution.Operators;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>A SELECT (or VALUES) statement.</summary>
internal sealed class QueryStatementPlan(ulong catalogVersion, PlanNode root, IReadOnlyList<ScanNode> scans, IReadOnlyList<ResultColumn> columns)
    : StatementPlan(catalogVersion)
{
    public PlanNode Root { get; } = root;

    public IReadOnlyList<ScanNode> Scans { get; } = scans;

    public IReadOnlyList<ResultColumn> Columns { get; } = columns;

    public override async ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<object?> parameters)
    {
        var runtime = await context.StartAsync(Scans, parameters).ConfigureAwait(false);
        var batches = Root.Run(runtime).ToList();
        var rows = batches.Sum(b => (long)b.RowCount);
        return new StatementOutcome(Columns, batches, "SELECT " + rows.ToString(CultureInfo.InvariantCulture));
    }
}
