using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// Reads a table through the transaction. What the planner could push down (columns, time range, key range,
/// simple column comparisons) travels to storage in <see cref="Scan"/>; the full predicate is also applied
/// here, so storage may treat the pushed parts as hints.
/// </summary>
internal sealed class ScanNode : PlanNode
{
    public ScanNode(TableDefinition table, string alias, IReadOnlyList<PlanColumn> columns)
        : base(columns)
    {
        Table = table;
        Alias = alias;
    }

    public TableDefinition Table { get; }

    public string Alias { get; }

    /// <summary>What storage is asked for.</summary>
    public SegmentScan Scan { get; set; } = SegmentScan.All;

    /// <summary>Rows are kept only where this is true.</summary>
    public BoundExpression? Filter { get; set; }

    public string? FilterText { get; set; }

    /// <summary>Point lookup: the encoded primary key when the filter pins every key column to a constant.</summary>
    public BoundExpression[]? KeyLookup { get; set; }

    public override string Label => (KeyLookup is not null ? "Index Scan using primary key on " : "Seq Scan on ") + Table.Name + (Alias != Table.Name ? " " + Alias : string.Empty);

    public override IEnumerable<string> Details
    {
        get
        {
            if (Scan.Keys is not null)
            {
                yield return "Key Range: pushed to storage";
            }

            if (Scan.Time is { } time)
            {
                yield return $"Time Range: [{time.FromMicros}, {time.ToMicros})";
            }

            if (Scan.Predicates.Count > 0)
            {
                yield return $"Storage Filter: {string.Join(" AND ", Scan.Predicates.Select(p => p.ToString()))}";
            }

            if (Scan.Columns is not null)
            {
                yield return $"Columns: {string.Join(", ", Scan.Columns)}";
            }

            if (FilterText is not null)
            {
                yield return $"Filter: {FilterText}";
            }
        }
    }

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        if (!runtime.ScanData.TryGetValue(this, out var batches))
        {
            throw new SqlException(SqlState.InternalError, $"table {Table.Name} was not loaded");
        }

        foreach (var batch in batches)
        {
            yield return Filter is null ? batch : BatchOps.Filter(batch, BatchOps.Evaluate(runtime, Filter, batch));
        }
    }
}
