using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Range functions over a matrix selector, series-wise: the window of each step is found by two indexes that
/// only move forward over the series' sorted samples, and the same kernels as the step-by-step path compute the
/// value of each window.
/// </summary>
internal sealed partial class Evaluator
{
    private enum RangeKernel
    {
        Rate,
        Increase,
        Delta,
        Irate,
        Idelta,
        Deriv,
        PredictLinear,
        Resets,
        Changes,
        SumOverTime,
        AvgOverTime,
        MinOverTime,
        MaxOverTime,
        CountOverTime,
        LastOverTime,
        FirstOverTime,
        PresentOverTime,
        StddevOverTime,
        StdvarOverTime,
        QuantileOverTime,
        MadOverTime,
        TsOfLastOverTime,
        TsOfFirstOverTime,
        TsOfMinOverTime,
        TsOfMaxOverTime,
    }

    private static RangeKernel? RangeKernelOf(string name) => name switch
    {
        "rate" => RangeKernel.Rate,
        "increase" => RangeKernel.Increase,
        "delta" => RangeKernel.Delta,
        "irate" => RangeKernel.Irate,
        "idelta" => RangeKernel.Idelta,
        "deriv" => RangeKernel.Deriv,
        "predict_linear" => RangeKernel.PredictLinear,
        "resets" => RangeKernel.Resets,
        "changes" => RangeKernel.Changes,
        "sum_over_time" => RangeKernel.SumOverTime,
        "avg_over_time" => RangeKernel.AvgOverTime,
        "min_over_time" => RangeKernel.MinOverTime,
        "max_over_time" => RangeKernel.MaxOverTime,
        "count_over_time" => RangeKernel.CountOverTime,
        "last_over_time" => RangeKernel.LastOverTime,
        "first_over_time" => RangeKernel.FirstOverTime,
        "present_over_time" => RangeKernel.PresentOverTime,
        "stddev_over_time" => RangeKernel.StddevOverTime,
        "stdvar_over_time" => RangeKernel.StdvarOverTime,
        "quantile_over_time" => RangeKernel.QuantileOverTime,
        "mad_over_time" => RangeKernel.MadOverTime,
        "ts_of_last_over_time" => RangeKernel.TsOfLastOverTime,
        "ts_of_first_over_time" => RangeKernel.TsOfFirstOverTime,
        "ts_of_min_over_time" => RangeKernel.TsOfMinOverTime,
        "ts_of_max_over_time" => RangeKernel.TsOfMaxOverTime,
        _ => null,
    };

    /// <summary>
    /// The value of one window of float samples: the one table both <see cref="EvalRangeFunction"/> (step by step)
    /// and <see cref="RangeFunctionNode"/> (series-wise) compute range functions with.
    /// </summary>
    private static double? RangeKernelValue(RangeKernel kernel, ReadOnlySpan<long> ts, ReadOnlySpan<double> fs, MatrixValue m, long t, double param) => kernel switch
    {
        RangeKernel.Rate => ExtrapolatedRate(ts, fs, m, true, true),
        RangeKernel.Increase => ExtrapolatedRate(ts, fs, m, true, false),
        RangeKernel.Delta => ExtrapolatedRate(ts, fs, m, false, false),
        RangeKernel.Irate => InstantDelta(ts, fs, true),
        RangeKernel.Idelta => InstantDelta(ts, fs, false),
        RangeKernel.Deriv => fs.Length < 2 ? null : LinearRegression(ts, fs, ts[0]).Slope,
        RangeKernel.PredictLinear => fs.Length < 2 ? null : Predict(ts, fs, t, param),
        RangeKernel.Resets => Resets(fs),
        RangeKernel.Changes => Changes(fs),
        RangeKernel.SumOverTime => Sum(fs),
        RangeKernel.AvgOverTime => Sum(fs) is var sum && !double.IsInfinity(sum) ? sum / fs.Length : IncrementalMean(fs),
        RangeKernel.MinOverTime => Extreme(fs, false),
        RangeKernel.MaxOverTime => Extreme(fs, true),
        RangeKernel.CountOverTime => fs.Length,
        RangeKernel.LastOverTime => fs[^1],
        RangeKernel.FirstOverTime => fs[0],
        RangeKernel.PresentOverTime => 1,
        RangeKernel.StddevOverTime => Math.Sqrt(Variance(fs)),
        RangeKernel.StdvarOverTime => Variance(fs),
        RangeKernel.QuantileOverTime => Quantile(param, fs.ToArray()),
        RangeKernel.MadOverTime => Mad(fs),
        RangeKernel.TsOfLastOverTime => ts[^1] / 1000.0,
        RangeKernel.TsOfFirstOverTime => ts[0] / 1000.0,
        RangeKernel.TsOfMinOverTime => ts[ExtremeIndex(fs, false)] / 1000.0,
        _ => ts[ExtremeIndex(fs, true)] / 1000.0,
    };

    /// <summary>A range function over a matrix selector, for all steps of each series in one pass.</summary>
    private sealed class RangeFunctionNode(Evaluator ev, MatrixSelector ms, RangeKernel kernel, double param) : SeriesNode
    {
        private static readonly List<RangeSeries> NoSeries = [];

        public override void Run(Action<StepSeries> sink)
        {
            var n = ev._steps;
            var vs = ms.Selector;
            var offset = ev.DurationMs(vs.Offset, vs.OffsetExpr);
            var range = ev.DurationMs(ms.RangeDuration, ms.RangeExpr);
            var load = ev._stepLoad;
            var keepName = kernel is RangeKernel.LastOverTime or RangeKernel.FirstOverTime;

            // Rates extrapolate to the window's bounds: one window description per step, shared by all series.
            var windows = new MatrixValue[n];
            for (var i = 0; i < n; i++)
            {
                var refTime = ev.StepTime(i) - offset;
                windows[i] = new MatrixValue(NoSeries, refTime - range, refTime);
            }

            var buffer = new StepSeries(n);
            foreach (var s in ev.FetchWithoutStale(vs))
            {
                ev._cancellation.ThrowIfCancellationRequested();
                var ts = s.Timestamps;
                var fs = s.Values;
                var first = ev._start - offset;

                // Left-open windows (refTime - range, refTime]: lo is the first sample inside, hi the first after.
                var lo = UpperBound(ts, first - range);
                var hi = UpperBound(ts, first);
                var any = false;
                for (var i = 0; i < n; i++)
                {
                    var refTime = first + (i * ev._step);
                    while (lo < ts.Length && ts[lo] <= refTime - range)
                    {
                        lo++;
                    }

                    while (hi < ts.Length && ts[hi] <= refTime)
                    {
                        hi++;
                    }

                    var count = hi - lo;
                    load[i] += count;
                    var value = count > 0 ? RangeKernelValue(kernel, ts.AsSpan(lo, count), fs.AsSpan(lo, count), windows[i], ev.StepTime(i), param) : null;
                    buffer.Present[i] = value.HasValue;
                    if (value is double v)
                    {
                        buffer.Values[i] = v;
                        any = true;
                    }
                }

                if (any)
                {
                    if (kernel is RangeKernel.Rate or RangeKernel.Increase)
                    {
                        ev.CheckCounterName(s.Labels, ms);
                    }

                    buffer.Labels = s.Labels;
                    buffer.DropName = !keepName;
                    sink(buffer);
                }
            }
        }
    }
}
