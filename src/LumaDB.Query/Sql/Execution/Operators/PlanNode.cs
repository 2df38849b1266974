using System.Text;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// A physical operator: pulls batches from its children and yields its own, a batch of columns at a time.
/// Operators are planned once and may run many times (correlated subqueries, cached prepared statements),
/// so all run state lives in the <see cref="QueryRuntime"/> or in locals of <see cref="Execute"/>.
/// </summary>
internal abstract class PlanNode
{
    /// <summary>Rows produced over all runs, for EXPLAIN ANALYZE.</summary>
    private long _rows;
    private int _loops;

    protected PlanNode(IReadOnlyList<PlanColumn> columns) => Columns = columns;

    /// <summary>Output columns.</summary>
    public IReadOnlyList<PlanColumn> Columns { get; protected set; }

    /// <summary>Inputs, for EXPLAIN.</summary>
    public virtual IEnumerable<PlanNode> Children => [];

    /// <summary>One line describing the node (EXPLAIN).</summary>
    public abstract string Label { get; }

    /// <summary>Further EXPLAIN lines (filters, keys).</summary>
    public virtual IEnumerable<string> Details => [];

    /// <summary>Runs the node, counting rows for EXPLAIN ANALYZE.</summary>
    public IEnumerable<ResultBatch> Run(QueryRuntime runtime)
    {
        Interlocked.Increment(ref _loops);
        foreach (var batch in Execute(runtime))
        {
            runtime.ThrowIfCancelled();
            if (batch.RowCount == 0)
            {
                continue;
            }

            // Workers of a parallel plan run the same nodes at once.
            Interlocked.Add(ref _rows, batch.RowCount);
            yield return batch;
        }
    }

    /// <summary>EXPLAIN lines that depend on how the statement runs (the parallel degree), after <see cref="Details"/>.</summary>
    protected virtual IEnumerable<string> ExecutionDetails(int parallelWorkers, bool analyze) => [];

    /// <summary>Produces the node's batches.</summary>
    protected abstract IEnumerable<ResultBatch> Execute(QueryRuntime runtime);

    /// <summary>Runs the node and concatenates its output into one batch.</summary>
    public ResultBatch Materialize(QueryRuntime runtime)
    {
        var batches = Run(runtime).ToList();
        var result = BatchOps.Concat(Columns, batches);
        runtime.Reserve(QueryRuntime.SizeOf(result));
        return result;
    }

    /// <summary>Writes the plan tree under this node.</summary>
    public void Explain(StringBuilder text, int depth, bool analyze, int parallelWorkers = 1)
    {
        var indent = new string(' ', depth * 6);
        text.Append(depth == 0 ? string.Empty : indent[..^6] + "  ->  ").Append(Label);
        if (analyze)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" (actual rows={(_loops == 0 ? 0 : _rows / _loops)} loops={_loops})");
        }

        text.Append('\n');
        foreach (var detail in Details.Concat(ExecutionDetails(parallelWorkers, analyze)))
        {
            text.Append(depth == 0 ? "  " : indent).Append(detail).Append('\n');
        }

        foreach (var child in Children)
        {
            child.Explain(text, depth + 1, analyze, parallelWorkers);
        }
    }
}
