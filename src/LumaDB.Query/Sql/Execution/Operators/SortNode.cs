using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// ORDER BY. With a LIMIT it is a top-k sort: it keeps at most about 2k rows (plus one input batch), trimming to
/// the best k as it goes, so ORDER BY ... LIMIT k needs memory for k rows, not the whole input.
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

        // With a limit, the k-th kept key is also handed to the scan below (when only projections and filters sit
        // between), so storage can skip row groups and rows that cannot make the cut.
        ScanNode? target = null;
        TopKBound? bound = null;
        if (keep is > 0 && BoundTarget(Input, _keys[0].Ordinal) is { } found && !runtime.ScanBounds.ContainsKey(found.Scan))
        {
            target = found.Scan;
            bound = new TopKBound(target.Table.Columns[found.Ordinal].Name, _keys[0].Descending, _keys[0].NullsFirst);
            runtime.ScanBounds[target] = bound;
        }

        try
        {
            var buffered = new List<ResultBatch>();
            var rows = 0L;
            ResultBatch? kept = null;
            int[]? survivors = null;
            foreach (var input in Input.Run(runtime))
            {
                // Once k rows are kept, a row whose first key is worse than the k-th kept row's cannot make the cut.
                var batch = kept is { } best ? Prune(input, best, ref survivors) : input;
                if (batch.RowCount == 0)
                {
                    continue;
                }

                buffered.Add(batch);
                rows += batch.RowCount;
                // The first time more than k rows are in, trim at once so the bound starts pruning; then whenever the
                // survivors since the last trim reach k more.
                if (keep is not null && rows > keep.Value && (kept is null || rows >= 2 * keep.Value))
                {
                    var trimmed = SortBatch(BatchOps.Concat(Columns, buffered), (int)keep.Value);
                    buffered = [trimmed];
                    rows = trimmed.RowCount;
                    kept = trimmed.RowCount == keep.Value && keep.Value > 0 ? trimmed : null;
                    if (kept is { } cut && bound is not null)
                    {
                        Tighten(bound, cut.Columns[_keys[0].Ordinal], cut.RowCount - 1);
                    }
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
        finally
        {
            if (target is not null)
            {
                runtime.ScanBounds.Remove(target);
            }
        }
    }

    /// <summary>
    /// The table scan whose rows reach this sort unchanged in the first key's column, through projections that
    /// pass the column through, filters and subquery renames, with the scan's column ordinal; null when another
    /// operator is in between or the column's type has no storage bound (numbers, dates, times, timestamps).
    /// </summary>
    private static (ScanNode Scan, int Ordinal)? BoundTarget(PlanNode node, int ordinal)
    {
        while (true)
        {
            switch (node)
            {
                case ScanNode scan:
                    return scan.Columns[ordinal].Type.Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8 or SqlTypeKind.Float4
                        or SqlTypeKind.Float8 or SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz
                        && ordinal < scan.Table.Columns.Count
                        ? (scan, ordinal) : null;
                case ProjectNode project when project.Expressions[ordinal] is BoundColumn column && project.Input.Columns[column.Ordinal].Type == column.Type:
                    ordinal = column.Ordinal;
                    node = project.Input;
                    break;
                case FilterNode filter:
                    node = filter.Input;
                    break;
                case RenameNode rename:
                    node = rename.Input;
                    break;
                default:
                    return null;
            }
        }
    }

    /// <summary>Sets the scan's bound to row <paramref name="row"/> of the first key column (the k-th kept row).</summary>
    private static void Tighten(TopKBound bound, ColumnVector column, int row)
    {
        if (column.IsNull(row))
        {
            // A NULL k-th key bounds nothing the scan can test; the bound set before (looser) still holds.
            return;
        }

        switch (column.Values)
        {
            case double[] values: bound.Tighten(values[row]); break;
            case float[] values: bound.Tighten(values[row]); break;
            case long[] values: bound.Tighten(values[row]); break;
            case int[] values: bound.Tighten(values[row]); break;
            case short[] values: bound.Tighten(values[row]); break;
        }
    }

    /// <summary>
    /// Drops rows of <paramref name="batch"/> whose first sort key is strictly worse than the last row of
    /// <paramref name="best"/> (sorted, k rows) with a SIMD compare over the typed values; ties stay (later keys
    /// decide), NULLs stay where they rank first. <paramref name="survivors"/> is reused across batches.
    /// </summary>
    private ResultBatch Prune(ResultBatch batch, ResultBatch best, ref int[]? survivors)
    {
        var key = _keys[0];
        var column = batch.Columns[key.Ordinal];
        var bound = best.Columns[key.Ordinal];
        var last = best.RowCount - 1;
        if (bound.IsNull(last) || column.IsAbsent)
        {
            return batch;
        }

        if (survivors is null || survivors.Length < batch.RowCount)
        {
            survivors = new int[Math.Max(batch.RowCount, BatchOps.BatchSize)];
        }

        var into = survivors.AsSpan(0, batch.RowCount);
        int count;
        switch (column.Values)
        {
            case double[] values when bound.Values is double[] b && !double.IsNaN(b[last]):
                count = TopKKernels.Survivors<double>(values.AsSpan(0, batch.RowCount), b[last], key.Descending, into);
                break;
            case float[] values when bound.Values is float[] b && !float.IsNaN(b[last]):
                count = TopKKernels.Survivors<float>(values.AsSpan(0, batch.RowCount), b[last], key.Descending, into);
                break;
            case long[] values when bound.Values is long[] b:
                count = TopKKernels.Survivors<long>(values.AsSpan(0, batch.RowCount), b[last], key.Descending, into);
                break;
            case int[] values when bound.Values is int[] b:
                count = TopKKernels.Survivors<int>(values.AsSpan(0, batch.RowCount), b[last], key.Descending, into);
                break;
            case short[] values when bound.Values is short[] b:
                count = TopKKernels.Survivors<short>(values.AsSpan(0, batch.RowCount), b[last], key.Descending, into);
                break;
            default:
                return batch;
        }

        if (column.Nulls is { } nulls)
        {
            // Null slots hold a default value the kernel judged like any other: decide them by NULLS FIRST/LAST.
            count = TopKKernels.FixNulls(nulls.AsSpan(0, batch.RowCount), key.NullsFirst, into, count);
        }

        return count == batch.RowCount ? batch : BatchOps.Gather(batch, into[..count]);
    }

    private ResultBatch SortBatch(ResultBatch batch, int take)
    {
        var comparer = new RowOrder(batch, _keys);
        int[] order;
        if (take < batch.RowCount / 4)
        {
            // Few rows wanted (top-k): one pass keeping the best `take` in a heap whose root is the worst kept.
            order = comparer.SelectBest(batch.RowCount, take);
        }
        else
        {
            order = new int[batch.RowCount];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }
        }

        // The comparer breaks ties by input position, so the unstable sort gives the stable order users expect.
        Array.Sort(order, comparer);
        return BatchOps.Gather(batch, order.AsSpan(0, Math.Min(take, order.Length)));
    }

    /// <summary>
    /// Compares two rows of one batch by the sort keys, then by position (a total order: ties keep input order).
    /// Numeric and text keys compare their typed arrays without boxing.
    /// </summary>
    private sealed class RowOrder : IComparer<int>
    {
        private readonly Key[] _keys;

        public RowOrder(ResultBatch batch, IReadOnlyList<SortKey> keys)
        {
            _keys = new Key[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                var column = batch.Columns[keys[i].Ordinal];
                _keys[i] = new Key(column, column.IsAbsent ? null : column.Values, column.IsAbsent ? null : column.Nulls, column.IsAbsent, keys[i].Descending, keys[i].NullsFirst);
            }
        }

        /// <summary>The positions of the best <paramref name="take"/> of <paramref name="rows"/> rows, in no particular order.</summary>
        public int[] SelectBest(int rows, int take)
        {
            var heap = new int[take];
            if (take == 0)
            {
                return heap;
            }

            var count = 0;
            for (var row = 0; row < rows; row++)
            {
                if (count < take)
                {
                    // Sift up: the worst kept row rises to the root.
                    var at = count++;
                    while (at > 0 && Compare(heap[(at - 1) / 2], row) < 0)
                    {
                        heap[at] = heap[(at - 1) / 2];
                        at = (at - 1) / 2;
                    }

                    heap[at] = row;
                }
                else if (Compare(row, heap[0]) < 0)
                {
                    // Better than the worst kept: it replaces the root, which sinks to its place.
                    var at = 0;
                    while (true)
                    {
                        var child = (2 * at) + 1;
                        if (child >= take)
                        {
                            break;
                        }

                        if (child + 1 < take && Compare(heap[child + 1], heap[child]) > 0)
                        {
                            child++;
                        }

                        if (Compare(heap[child], row) <= 0)
                        {
                            break;
                        }

                        heap[at] = heap[child];
                        at = child;
                    }

                    heap[at] = row;
                }
            }

            return heap;
        }

        public int Compare(int x, int y)
        {
            foreach (var key in _keys)
            {
                var c = key.Compare(x, y);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.CompareTo(y);
        }

        private readonly record struct Key(ColumnVector Column, Array? Values, bool[]? Nulls, bool Absent, bool Descending, bool NullsFirst)
        {
            public int Compare(int x, int y)
            {
                if (Absent)
                {
                    return 0;
                }

                if (Nulls is { } nulls && (nulls[x] || nulls[y]))
                {
                    if (nulls[x] && nulls[y])
                    {
                        return 0;
                    }

                    // NULLs sort as larger than everything unless NULLS FIRST says otherwise.
                    return nulls[x] == NullsFirst ? -1 : 1;
                }

                var c = Values switch
                {
                    double[] v => RowComparer.CompareFloat(v[x], v[y]),
                    long[] v => v[x].CompareTo(v[y]),
                    int[] v => v[x].CompareTo(v[y]),
                    float[] v => RowComparer.CompareFloat(v[x], v[y]),
                    short[] v => v[x].CompareTo(v[y]),
                    string[] v => string.CompareOrdinal(v[x], v[y]),
                    _ => RowComparer.CompareValues(Column.Values.GetValue(x)!, Column.Values.GetValue(y)!),
                };
                return Descending ? -c : c;
            }
        }
    }
}
