using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;
using LumaDB.Query.PromQL.Testing;

namespace LumaDB.Query.Tests.PromQL.Conformance;

/// <summary>
/// The two extra checks Prometheus's harness runs for every passing instant eval: the same query as a range
/// query around the eval time must give the same middle step, and pinning every selector with <c>@ t</c> must make
/// the result independent of the evaluation time.
/// </summary>
internal static class HarnessChecks
{
    private static readonly string[] QueryBoundFunctions = ["start", "end", "range", "step"];

    private static readonly string[] TimeDependentFunctions =
    [
        "time", "timestamp", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
        "month", "year", "predict_linear", "start", "end", "range", "step",
    ];

    /// <summary>Null when both checks pass (or do not apply); otherwise what failed.</summary>
    public static string? Run(PromQLEngine engine, EvalCommand eval, Expr expr)
    {
        var at = (long)eval.At.TotalMilliseconds;
        if (!eval.Ordered && !CallsAny(expr, QueryBoundFunctions))
        {
            var range = engine.Range(expr, at - 60_000, at + 60_000, 60_000);
            var middle = MiddleStep(range, at, expr.Type == PromQLValueType.Scalar);
            var why = ResultComparer.Compare(eval, middle);
            if (why is not null)
            {
                return "range-mode check: " + why;
            }
        }

        if (CallsAny(expr, TimeDependentFunctions))
        {
            return null;
        }

        var pinned = PromQLParser.Parse(eval.Expression);
        PromQLTree.PinUnsetTimestamps(pinned, at);
        long[] times = at == 0 ? [-1000, 0, 1000] : [-10 * at, 0, at / 5, at, 10 * at];
        foreach (var t in times)
        {
            var why = ResultComparer.Compare(eval, engine.Instant(pinned, t));
            if (why is not null)
            {
                return $"step-invariance check at {t}ms: {why}";
            }
        }

        return null;
    }

    private static bool CallsAny(Expr expr, string[] names)
    {
        // step() and range() inside ranges and offsets are duration expressions, not calls.
        var usesQueryBounds = Array.IndexOf(names, "step") >= 0;
        foreach (var node in PromQLTree.Walk(expr))
        {
            if (usesQueryBounds && node is DurationExpr { Operator: DurationOperator.Step or DurationOperator.Range })
            {
                return true;
            }
        }

        foreach (var name in names)
        {
            if (PromQLTree.Calls(expr, name))
            {
                return true;
            }
        }

        return false;
    }

    private static QueryResult MiddleStep(QueryResult range, long at, bool scalar)
    {
        var samples = new List<VectorSample>();
        foreach (var series in range.Matrix)
        {
            var i = Array.IndexOf(series.Timestamps, at);
            if (i >= 0)
            {
                samples.Add(new VectorSample(series.Labels, at, series.Values[i]));
            }

            var j = series.HistogramTimestamps is { } ht ? Array.IndexOf(ht, at) : -1;
            if (j >= 0)
            {
                samples.Add(new VectorSample(series.Labels, at, 0, series.Histograms![j]));
            }
        }

        if (scalar)
        {
            return new QueryResult { Type = PromQLValueType.Scalar, Scalar = samples.Count == 1 ? samples[0].Value : double.NaN };
        }

        return new QueryResult { Type = PromQLValueType.Vector, Vector = samples };
    }
}
