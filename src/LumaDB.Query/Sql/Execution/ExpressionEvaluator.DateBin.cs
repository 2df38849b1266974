using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>date_bin.</summary>
public sealed partial class ExpressionEvaluator
{
    /// <summary>origin + floor((source - origin) / stride) * stride, as PostgreSQL computes it (no months in the stride).</summary>
    private static ColumnVector DateBin(ColumnVector[] args)
    {
        var source = args[1];
        var result = ColumnVector.Allocate(source.Type, source.Length);
        var strides = args[0].As<SqlInterval>();
        var sources = source.As<long>();
        var origins = args[2].As<long>();
        var values = result.As<long>();
        for (var i = 0; i < source.Length; i++)
        {
            if (args[0].IsNull(i) || source.IsNull(i) || args[2].IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            var stride = strides[i];
            if (stride.Months != 0)
            {
                SqlErrors.Throw(SqlState.FeatureNotSupported, "timestamps cannot be binned into intervals containing months or years");
            }

            var micros = (stride.Days * SqlInterval.MicrosPerDay) + stride.Microseconds;
            if (micros <= 0)
            {
                SqlErrors.Throw(SqlState.InvalidParameterValue, "stride must be greater than zero");
            }

            var at = sources[i];
            if (at is SqlCalendar.TimestampInfinity or SqlCalendar.TimestampNegativeInfinity)
            {
                SqlErrors.Throw(SqlState.DatetimeFieldOverflow, "timestamp out of range");
            }

            var origin = origins[i];
            values[i] = origin + (SqlCalendar.FloorDiv(at - origin, micros) * micros);
        }

        return result;
    }
}
