using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// The shape <c>SELECT col, ... FROM t WHERE pk = $1</c> (or a constant) on a table with a single integer key
/// column: one <see cref="Engine.Transactions.Transaction.GetAsync"/> and the projected columns decoded from the
/// row, without building a query runtime or running the operator tree. The read still goes through the
/// statement's transaction, so its snapshot and own writes apply exactly as on the general path.
/// </summary>
internal sealed class PointLookupPlan
{
    private readonly ScanNode _scan;
    private readonly KeyAccess _keys;
    private readonly BoundExpression _value;
    private readonly int[] _outputs;
    private readonly SqlType[] _types;

    private PointLookupPlan(ScanNode scan, KeyAccess keys, BoundExpression value, int[] outputs)
    {
        _scan = scan;
        _keys = keys;
        _value = value;
        _outputs = outputs;
        _types = [.. outputs.Select(o => scan.Columns[o].Type)];
    }

    /// <summary>The fast plan for <paramref name="root"/>, or null when the query is not of that shape.</summary>
    public static PointLookupPlan? TryCreate(PlanNode root)
    {
        var (scan, expressions) = root switch
        {
            ProjectNode { Input: ScanNode s } project => (s, project.Expressions),
            _ => (null, null),
        };
        if (scan is not { KeyAccess: { Points: [[var value]] } keys, Filter: BoundBinary { Operator: BinaryOperator.Equal } filter }
            || keys.KeyColumns.Length != 1
            || keys.KeyTypes[0].Kind is not (SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8)
            || value is not (BoundParameter or BoundConstant)
            || !IsKeyEquality(filter, keys.KeyColumns[0], value))
        {
            return null;
        }

        // Integer keys: the key bytes are equal exactly when the values are, so the lookup is the whole filter.
        var outputs = new int[expressions!.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            if (expressions[i] is not BoundColumn column || column.Ordinal >= scan.Table.Layout.Columns.Count
                || scan.Columns[column.Ordinal] is not { Hidden: false } source || source.Type != column.Type)
            {
                return null;
            }

            outputs[i] = column.Ordinal;
        }

        return new PointLookupPlan(scan, keys, value, outputs);
    }

    private static bool IsKeyEquality(BoundBinary filter, int keyOrdinal, BoundExpression value) =>
        (filter.Left is BoundColumn left && left.Ordinal == keyOrdinal && ReferenceEquals(filter.Right, value))
        || (filter.Right is BoundColumn right && right.Ordinal == keyOrdinal && ReferenceEquals(filter.Left, value));

    /// <summary>Reads the row and returns its projected columns (one row or none).</summary>
    public async ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<ResultColumn> columns, IReadOnlyList<object?> parameters)
    {
        var batch = await ReadAsync(context.Transaction, parameters, context.Cancellation).ConfigureAwait(false);
        return new StatementOutcome(columns, [batch], TagOf(batch));
    }

    /// <summary>The command tag of a batch <see cref="ReadAsync"/> returned.</summary>
    public static string TagOf(ResultBatch batch) => batch.RowCount == 0 ? "SELECT 0" : "SELECT 1";

    /// <summary>
    /// Reads the row through <paramref name="transaction"/> and returns its projected columns as one batch of
    /// one row or none. Completes synchronously (nothing allocated for the await) when the row is in a memtable
    /// or a cached row group.
    /// </summary>
    public async ValueTask<ResultBatch> ReadAsync(Engine.Transactions.Transaction transaction, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var value = _value switch
        {
            BoundParameter p when p.Index >= 1 && p.Index <= parameters.Count => parameters[p.Index - 1],
            BoundParameter p => throw new SqlException(SqlState.InvalidParameterValue, $"there is no parameter ${p.Index}"),
            _ => ((BoundConstant)_value).Value,
        };
        var table = _scan.Table;
        var row = _keys.EncodePoint(table.Layout, value) is { } key
            ? await transaction.GetAsync(table, key, cancellationToken).ConfigureAwait(false)
            : null;
        var count = row is null ? 0 : 1;
        var vectors = new ColumnVector[_outputs.Length];
        for (var i = 0; i < vectors.Length; i++)
        {
            var vector = ColumnVector.Allocate(_types[i], count);
            if (row is not null)
            {
                if (StorageValues.DecodeColumn(table.Layout.Codec, _types[i], row, _outputs[i]) is { } decoded)
                {
                    vector.Values.SetValue(decoded, 0);
                }
                else
                {
                    vector.SetNull(0);
                }
            }

            vectors[i] = vector;
        }

        return new ResultBatch(vectors, count);
    }
}
