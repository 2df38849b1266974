using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>generate_series(start, stop[, step]) over integers, numerics or timestamps (with an interval step).</summary>
internal sealed class GenerateSeriesNode : PlanNode
{
    private readonly BoundExpression _start;
    private readonly BoundExpression _stop;
    private readonly BoundExpression? _step;

    public GenerateSeriesNode(IReadOnlyList<PlanColumn> columns, BoundExpression start, BoundExpression stop, BoundExpression? step)
        : base(columns)
    {
        _start = start;
        _stop = stop;
        _step = step;
    }

    public override string Label => "Function Scan on generate_series";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var one = new ResultBatch([], 1);
        var start = BatchOps.Evaluate(runtime, _start, one).GetValue(0);
        var stop = BatchOps.Evaluate(runtime, _stop, one).GetValue(0);
        var step = _step is null ? null : BatchOps.Evaluate(runtime, _step, one).GetValue(0);
        return start is null || stop is null || (_step is not null && step is null)
            ? []
            : BatchOps.InBatches(runtime, Columns, Values(Columns[0].Type, start, stop, step).Select(value => new object?[] { value }));
    }

    /// <summary>The series from start to stop (inclusive) by step (1 when null), lazily.</summary>
    internal static IEnumerable<object> Values(SqlType type, object start, object stop, object? step)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Int4 or SqlTypeKind.Int8:
                {
                    var from = Convert.ToInt64(start, System.Globalization.CultureInfo.InvariantCulture);
                    var to = Convert.ToInt64(stop, System.Globalization.CultureInfo.InvariantCulture);
                    var by = step is null ? 1 : Convert.ToInt64(step, System.Globalization.CultureInfo.InvariantCulture);
                    if (by == 0)
                    {
                        throw new SqlException(SqlState.InvalidParameterValue, "step size cannot equal zero");
                    }

                    for (var v = from; by > 0 ? v <= to : v >= to; v += by)
                    {
                        yield return type.Kind == SqlTypeKind.Int4 ? (object)(int)v : v;
                    }

                    break;
                }

            case SqlTypeKind.Numeric:
                {
                    var from = (decimal)start;
                    var to = (decimal)stop;
                    var by = step is null ? 1m : (decimal)step;
                    if (by == 0)
                    {
                        throw new SqlException(SqlState.InvalidParameterValue, "step size cannot equal zero");
                    }

                    for (var v = from; by > 0 ? v <= to : v >= to; v += by)
                    {
                        yield return v;
                    }

                    break;
                }

            default:
                {
                    var from = (long)start;
                    var to = (long)stop;
                    var by = (SqlInterval)(step ?? throw new SqlException(SqlState.UndefinedFunction, "generate_series over timestamps needs an interval step"));
                    if (by.Months == 0 && by.Days == 0 && by.Microseconds == 0)
                    {
                        throw new SqlException(SqlState.InvalidParameterValue, "step size cannot equal zero");
                    }

                    var forward = by.ComparisonKey > 0;
                    var v = from;
                    for (var i = 1; forward ? v <= to : v >= to; i++)
                    {
                        yield return v;
                        v = AddInterval(from, new SqlInterval(by.Months * i, by.Days * i, by.Microseconds * i));
                    }

                    break;
                }
        }
    }

    private static long AddInterval(long timestamp, SqlInterval interval)
    {
        var date = DateTime.UnixEpoch.AddTicks(timestamp * 10).AddMonths(interval.Months).AddDays(interval.Days);
        return ((date.Ticks - DateTime.UnixEpoch.Ticks) / 10) + interval.Microseconds;
    }
}
