using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// ORDER BY. With a LIMIT it is a top-k sort: it keeps at most about 2k rows, trimming to the best k as it
/// goes, so ORDER BY ... LIMIT k needs memory for k rows, not the whole input.
/// </summary>
internal sealed class SortNode : PlanNode
{
    private readonly IReadOnlyList<SortKey> _keys;
    private readonly BoundExpression? _limit;
    private readonly BoundExpression? _offset;

    public SortNode(PlanNode input, IReadOnlyList<SortKey> keys, BoundExpression? limit = null, BoundExpression? offset = null)
        : base(input.Columns)
    {
        Input = input;
        _keys = keys;
        _limit = limit;
        _offset = offset;
    }

    public PlanNode Input { get; }

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => _limit is null ? "Sort" : "Top-K Sort";

    public override IEnumerable<string> Details =>
        [$"Sort Key: {string.Join(", ", _keys.Select(k => Columns[k.Ordinal].Name + (k.Descending ? " DESC" : string.Empty) + (k.NullsFirst != k.Descending ? (k.NullsFirst ? " NULLS FIRST" : " NULLS LAST") : string.Empty)))}"];

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        long? keep = null;
        if (_limit is not null)
        {
            var limit = LimitNode.Count(runtime, _limit, false);
            if (limit is not null)
            {
                keep = limit.Value + (LimitNode.Count(runtime, _offset, true) ?? 0);
            }
        }

        var buffered = new List<ResultBatch>();
        var rows = 0L;
        ResultBatch? kept = null;
        foreach (var input in Input.Run(runtime))
        {
            // Once k rows are kept, a row whose first key is worse than the k-th kept row's cannot make the cut.
            var batch = kept is { } best ? Prune(input, best) : input;
            if (batch.RowCount == 0)
            {
                continue;
            }

            buffered.Add(batch);
            rows += batch.RowCount;
            if (keep is not null && rows > Math.Max(2 * keep.Value, BatchOps.BatchSize))
            {
                var trimmed = SortBatch(BatchOps.Concat(Columns, buffered), (int)keep.Value);
                buffered = [trimmed];
                rows = trimmed.RowCount;
                kept = trimmed.RowCount == keep.Value && keep.Value > 0 ? trimmed : null;
            }
            else if (keep is null)
            {
                runtime.Reserve(QueryRuntime.SizeOf(batch));
            }
        }

        if (buffered.Count == 0)
        {
            yield break;
        }

        var all = BatchOps.Concat(Columns, buffered);
        var sorted = SortBatch(all, keep is null ? all.RowCount : (int)Math.Min(keep.Value, all.RowCount));
        for (var start = 0; start < sorted.RowCount; start += BatchOps.BatchSize)
        {
            yield return BatchOps.Slice(sorted, start, Math.Min(BatchOps.BatchSize, sorted.RowCount - start));
        }
    }

    /// <summary>
    /// Drops rows of <paramref name="batch"/> whose first sort key is strictly worse than the last row of
    /// <paramref name="best"/> (sorted, k rows), comparing typed values. NULLs and NaNs are kept (their order is
    /// left to the full comparison), as are ties (later keys decide).
    /// </summary>
    private ResultBatch Prune(ResultBatch batch, ResultBatch best)
    {
        var key = _keys[0];
        var column = batch.Columns[key.Ordinal];
        var bound = best.Columns[key.Ordinal];
        var last = best.RowCount - 1;
        if (bound.IsNull(last))
        {
            return batch;
        }

        var survivors = new int[batch.RowCount];
        var count = 0;
        switch (column.Values)
        {
            case double[] values:
                var d = ((double[])bound.Values)[last];
                if (double.IsNaN(d))
                {
                    return batch;
                }

                for (var r = 0; r < batch.RowCount; r++)
                {
                    var v = values[r];
                    if (column.IsNull(r) || double.IsNaN(v) || (key.Descending ? v >= d : v <= d))
                    {
                        survivors[count++] = r;
                    }
                }

                break;
            case long[] values:
                var l = ((long[])bound.Values)[last];
                for (var r = 0; r < batch.RowCount; r++)
                {
                    if (column.IsNull(r) || (key.Descending ? values[r] >= l : values[r] <= l))
                    {
                        survivors[count++] = r;
                    }
                }

                break;
            case int[] values:
                var i = ((int[])bound.Values)[last];
                for (var r = 0; r < batch.RowCount; r++)
                {
                    if (column.IsNull(r) || (key.Descending ? values[r] >= i : values[r] <= i))
                    {
                        survivors[count++] = r;
                    }
                }

                break;
            default:
                return batch;
        }

        return count == batch.RowCount ? batch : BatchOps.Gather(batch, survivors.AsSpan(0, count));
    }

    private ResultBatch SortBatch(ResultBatch batch, int take)
    {
        var order = new int[batch.RowCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var comparer = new RowOrder(batch, _keys);

        // Stable: ties keep input order, as users expect from a sort by a subset of columns.
        var sorted = order.OrderBy(i => i, comparer).Take(take).ToArray();
        return BatchOps.Gather(batch, sorted);
    }

    /// <summary>Compares two rows of one batch by the sort keys.</summary>
    private sealed class RowOrder(ResultBatch batch, IReadOnlyList<SortKey> keys) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            foreach (var key in keys)
            {
                var column = batch.Columns[key.Ordinal];
                var xNull = column.IsNull(x);
                var yNull = column.IsNull(y);
                int c;
                if (xNull || yNull)
                {
                    if (xNull && yNull)
                    {
                        continue;
                    }

                    // NULLs sort as larger than everything unless NULLS FIRST says otherwise.
                    c = xNull == key.NullsFirst ? -1 : 1;
                    return c;
                }

                c = RowComparer.CompareValues(column.Values.GetValue(x)!, column.Values.GetValue(y)!);
                if (c != 0)
                {
                    return key.Descending ? -c : c;
                }
            }

            return 0;
        }
    }
}
