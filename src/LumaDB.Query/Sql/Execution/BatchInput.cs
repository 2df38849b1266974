using Apache.Arrow;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>The rows an expression runs over: a record batch or vectors (columns converted on first use), or a gathered subset of another input.</summary>
internal sealed class BatchInput
{
    private readonly RecordBatch? _batch;
    private readonly BatchInput? _parent;
    private readonly int[]? _rows;
    private readonly ColumnVector?[] _columns;

    public BatchInput(RecordBatch batch)
    {
        _batch = batch;
        _columns = new ColumnVector?[batch.ColumnCount];
        RowCount = batch.Length;
    }

    public BatchInput(IReadOnlyList<ColumnVector> columns, int rowCount)
    {
        _columns = [.. columns];
        RowCount = rowCount;
    }

    private BatchInput(BatchInput parent, int[] rows)
    {
        _parent = parent;
        _rows = rows;
        _columns = new ColumnVector?[parent._columns.Length];
        RowCount = rows.Length;
    }

    public int RowCount { get; }

    public ColumnVector Column(int ordinal, SqlType type)
    {
        if ((uint)ordinal >= (uint)_columns.Length)
        {
            throw new SqlException(SqlState.UndefinedColumn, $"column ordinal {ordinal} is out of range");
        }

        return _columns[ordinal] ??= _parent is not null
            ? _parent.Column(ordinal, type).Gather(_rows)
            : ArrowColumns.FromBatch(_batch!, ordinal, type);
    }

    /// <summary>The rows at <paramref name="rows"/>; columns are gathered when an expression first reads them.</summary>
    public BatchInput Gather(int[] rows) => new(this, rows);
}
