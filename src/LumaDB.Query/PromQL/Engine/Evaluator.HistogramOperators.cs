using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Binary operators with native histograms: histogram ± histogram, histogram × scalar (either side),
/// histogram ÷ scalar. Every other combination has no result for that element, as in Prometheus.
/// </summary>
internal sealed partial class Evaluator
{
    private static FloatHistogram? HistogramScalar(BinaryOperator op, FloatHistogram h, double scalar, bool scalarOnLeft) => op switch
    {
        BinaryOperator.Mul => (scalar < 0 ? h.Scale(scalar).WithHint(CounterResetHint.Gauge) : h.Scale(scalar)).Compact(),
        BinaryOperator.Div when !scalarOnLeft && scalar == 0 => WithoutBuckets(h.Divide(scalar)),
        BinaryOperator.Div when !scalarOnLeft => h.Divide(scalar).Compact(),
        BinaryOperator.TrimUpper when !scalarOnLeft => HistogramTrim.Trim(h, scalar, keepBelow: true),
        BinaryOperator.TrimLower when !scalarOnLeft => HistogramTrim.Trim(h, scalar, keepBelow: false),
        _ => null,
    };

    // Division by zero leaves no buckets, only the (infinite or NaN) count, sum and zero bucket.
    private static FloatHistogram WithoutBuckets(FloatHistogram h) => new()
    {
        Schema = h.Schema,
        ZeroThreshold = h.ZeroThreshold,
        ZeroCount = h.ZeroCount,
        Count = h.Count,
        Sum = h.Sum,
        CustomValues = h.CustomValues,
        CounterResetHint = h.CounterResetHint,
    };

    private static FloatHistogram? HistogramBinary(BinaryOperator op, EvalSample left, EvalSample right)
    {
        try
        {
            return (left.H, right.H) switch
            {
                ({ } l, { } r) when op == BinaryOperator.Add => l.Add(r).Compact(),
                ({ } l, { } r) when op == BinaryOperator.Sub => l.Subtract(r).WithHint(CounterResetHint.Gauge).Compact(),
                ({ } l, null) => HistogramScalar(op, l, right.F, false),
                (null, { } r) => HistogramScalar(op, r, left.F, true),
                _ => null,
            };
        }
        catch (HistogramMismatchException)
        {
            return null;
        }
    }
}
