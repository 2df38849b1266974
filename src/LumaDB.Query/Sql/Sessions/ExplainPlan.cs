using System.Diagnostics;
using System.Globalization;
using System.Text;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>EXPLAIN [ANALYZE]: the operator tree with pushed-down filters, and with ANALYZE the rows each operator produced.</summary>
internal sealed class ExplainPlan(ulong catalogVersion, StatementPlan inner, bool analyze) : StatementPlan(catalogVersion)
{
    public override async ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<object?> parameters)
    {
        var text = new StringBuilder();
        var clock = Stopwatch.StartNew();
        if (analyze)
        {
            await inner.ExecuteAsync(context, parameters).ConfigureAwait(false);
        }

        var root = inner switch
        {
            QueryStatementPlan q => q.Root,
            DmlPlan d => d.Source,
            _ => null,
        };
        if (inner is DmlPlan dml)
        {
            text.Append(dml.Label).Append('\n');
        }

        root?.Explain(text, inner is DmlPlan ? 1 : 0, analyze, context.ParallelWorkers);
        if (analyze)
        {
            text.Append(CultureInfo.InvariantCulture, $"Execution Time: {clock.Elapsed.TotalMilliseconds:0.000} ms\n");
        }

        var lines = text.ToString().TrimEnd('\n').Split('\n');
        var column = ColumnVector.FromValues(SqlType.Text, lines);
        return new StatementOutcome([new ResultColumn("QUERY PLAN", SqlType.Text)], [new ResultBatch([column], lines.Length)], "EXPLAIN");
    }
}
