using Apache.Arrow;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>A query's result: the rows as one Arrow batch, with each output column's name and SQL type (for RowDescription).</summary>
public sealed record QueryResult(RecordBatch Batch, IReadOnlyList<string> ColumnNames, IReadOnlyList<SqlType> ColumnTypes)
{
    /// <summary>The evaluator's own columns when the result was computed here; they keep numeric's per-value scale, which decimal128 cannot.</summary>
    public IReadOnlyList<ColumnVector>? Columns { get; init; }

    /// <summary>Row <paramref name="row"/> in PostgreSQL text format, null for NULL; for tests and the simple query path.</summary>
    public IReadOnlyList<string?> TextRow(int row)
    {
        var values = new string?[ColumnTypes.Count];
        for (var c = 0; c < values.Length; c++)
        {
            var column = Columns?[c] ?? ArrowColumns.FromArrow(Batch.Column(c), ColumnTypes[c]);
            var value = column.GetValue(row);
            values[c] = value is null ? null : SqlText.Format(value, ColumnTypes[c]);
        }

        return values;
    }
}
