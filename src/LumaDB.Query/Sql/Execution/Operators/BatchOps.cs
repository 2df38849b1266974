using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>Batch helpers shared by the operators.</summary>
internal static class BatchOps
{
    /// <summary>Rows per batch that operators producing new rows aim for.</summary>
    public const int BatchSize = 1024;

    public static ResultBatch Empty(IReadOnlyList<PlanColumn> columns) =>
        new(columns.Select(c => ColumnVector.Allocate(c.Type, 0)).ToArray(), 0);

    /// <summary>The rows at <paramref name="rows"/> of every column.</summary>
    public static ResultBatch Gather(ResultBatch batch, ReadOnlySpan<int> rows)
    {
        var columns = new ColumnVector[batch.Columns.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = batch.Columns[c].Gather(rows);
        }

        return new ResultBatch(columns, rows.Length);
    }

    /// <summary>Rows where <paramref name="predicate"/> is true (not false, not null).</summary>
    public static ResultBatch Filter(ResultBatch batch, ColumnVector predicate)
    {
        var values = predicate.As<bool>();
        var rows = new List<int>(batch.RowCount);
        for (var i = 0; i < batch.RowCount; i++)
        {
            if (values[i] && !predicate.IsNull(i))
            {
                rows.Add(i);
            }
        }

        return rows.Count == batch.RowCount ? batch : Gather(batch, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
    }

    public static ResultBatch Concat(IReadOnlyList<PlanColumn> columns, IReadOnlyList<ResultBatch> batches)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var total = batches.Sum(b => b.RowCount);
        var result = new ColumnVector[columns.Count];
        for (var c = 0; c < result.Length; c++)
        {
            if (batches.Count > 0 && batches[0].Columns[c].IsAbsent)
            {
                result[c] = batches[0].Columns[c];
                continue;
            }

            var target = ColumnVector.Allocate(columns[c].Type, total);
            var offset = 0;
            foreach (var batch in batches)
            {
                var source = batch.Columns[c];
                Array.Copy(source.Values, 0, target.Values, offset, batch.RowCount);
                if (source.Nulls is not null)
                {
                    for (var i = 0; i < batch.RowCount; i++)
                    {
                        if (source.Nulls[i])
                        {
                            target.SetNull(offset + i);
                        }
                    }
                }

                offset += batch.RowCount;
            }

            result[c] = target;
        }

        return new ResultBatch(result, total);
    }

    /// <summary>Rows [start, start+count).</summary>
    public static ResultBatch Slice(ResultBatch batch, int start, int count)
    {
        if (start == 0 && count == batch.RowCount)
        {
            return batch;
        }

        var rows = new int[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = start + i;
        }

        return Gather(batch, rows);
    }

    public static ColumnVector Evaluate(QueryRuntime runtime, BoundExpression expression, ResultBatch batch) =>
        runtime.Evaluator.Evaluate(expression, batch.Columns, batch.RowCount);

    /// <summary>Row <paramref name="row"/> as boxed values.</summary>
    public static object?[] Row(ResultBatch batch, int row)
    {
        var values = new object?[batch.Columns.Count];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = batch.Columns[c].GetValue(row);
        }

        return values;
    }

    /// <summary>
    /// Boxed rows produced lazily (function scans, ProjectSet) as batches of <see cref="BatchSize"/>, checking for
    /// cancellation between batches: a long series never sits in memory whole.
    /// </summary>
    public static IEnumerable<ResultBatch> InBatches(QueryRuntime runtime, IReadOnlyList<PlanColumn> columns, IEnumerable<object?[]> rows)
    {
        var batch = new List<object?[]>(BatchSize);
        foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == BatchSize)
            {
                runtime.ThrowIfCancelled();
                yield return FromRows(columns, batch);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return FromRows(columns, batch);
        }
    }

    /// <summary>Builds a batch from boxed rows.</summary>
    public static ResultBatch FromRows(IReadOnlyList<PlanColumn> columns, IReadOnlyList<object?[]> rows)
    {
        var result = new ColumnVector[columns.Count];
        for (var c = 0; c < result.Length; c++)
        {
            var column = ColumnVector.Allocate(columns[c].Type, rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                var value = rows[r][c];
                if (value is null)
                {
                    column.SetNull(r);
                }
                else
                {
                    column.Values.SetValue(value, r);
                }
            }

            result[c] = column;
        }

        return new ResultBatch(result, rows.Count);
    }
}
