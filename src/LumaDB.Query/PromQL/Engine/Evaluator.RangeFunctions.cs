using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Functions over range vectors: rates, regressions and the <c>*_over_time</c> family.</summary>
internal sealed partial class Evaluator
{
    private VectorValue EvalRangeFunction(Call c, long t)
    {
        var name = c.Function.Name;
        var args = c.Arguments;
        var matrixIndex = name == "quantile_over_time" ? 1 : 0;
        if (matrixIndex < args.Count)
        {
            CheckExtendedRange(c, args[matrixIndex]);
        }

        var matrix = matrixIndex < args.Count && Unwrap(args[matrixIndex]) is MatrixSelector { Selector.Smoothed: true } smoothed
            ? SelectBounded(smoothed, t, counter: name != "delta")
            : matrixIndex < args.Count ? Eval(args[matrixIndex], t) : null;
        if (matrix is not MatrixValue m)
        {
            throw new PromQLEvaluationException("unsupported function " + name);
        }

        var param = 0.0;
        double smoothing = 0, trend = 0;
        if (name is "double_exponential_smoothing")
        {
            smoothing = Scalar(args[1], t);
            trend = Scalar(args[2], t);
            if (!(smoothing > 0 && smoothing < 1))
            {
                throw new PromQLEvaluationException($"invalid smoothing factor. Expected: 0 < sf < 1, got: {GoText.FormatFloat(smoothing)}");
            }

            if (!(trend > 0 && trend < 1))
            {
                throw new PromQLEvaluationException($"invalid trend factor. Expected: 0 < tf < 1, got: {GoText.FormatFloat(trend)}");
            }
        }

        if (name is "quantile_over_time")
        {
            param = Scalar(args[0], t);
            CheckQuantile(param, args[0]);
        }
        else if (name is "predict_linear")
        {
            param = Scalar(args[1], t);
        }

        var keepName = name is "last_over_time" or "first_over_time";
        var kernel = RangeKernelOf(name);
        var result = new List<EvalSample>(m.Series.Count);
        foreach (var s in m.Series)
        {
            // These read float samples only; histogram samples in the range are ignored, as in Prometheus.
            var floatsOnly = name is "deriv" or "predict_linear" or "double_exponential_smoothing" or "stddev_over_time"
                or "stdvar_over_time" or "mad_over_time" or "quantile_over_time" or "min_over_time" or "max_over_time"
                or "ts_of_min_over_time" or "ts_of_max_over_time";
            if (floatsOnly && s.Count > 0 && s.HCount > 0)
            {
                Info(AnnotationText.HistogramIgnoredInMixedRange(s.Labels.Get(LabelSet.MetricName)), args[matrixIndex]);
            }

            if (s.HCount > 0 && !(floatsOnly && s.Count > 0))
            {
                if (HistogramRangeValue(name, s, m, t, s.DropName || !keepName, args[matrixIndex]) is { } hv)
                {
                    result.Add(hv);
                }

                continue;
            }

            var ts = s.Times;
            var fs = s.Floats;
            if (fs.Length == 0)
            {
                continue;
            }

            double? v = m.Bounded && name is "rate" or "increase" or "delta" ? BoundedDelta(fs, m, name != "delta", name == "rate")
                : kernel is { } k ? RangeKernelValue(k, ts, fs, m, t, param)
                : name == "double_exponential_smoothing" ? (fs.Length < 2 ? null : Smooth(fs, smoothing, trend))
                : throw new PromQLEvaluationException("unsupported function " + name);
            if (v is double value)
            {
                if (name is "rate" or "increase")
                {
                    CheckCounterName(s.Labels, args[0]);
                }

                result.Add(new EvalSample(s.Labels, value, t, s.DropName || !keepName));
            }
        }

        return new VectorValue(result);
    }

    private static double? ExtrapolatedRate(ReadOnlySpan<long> ts, ReadOnlySpan<double> fs, MatrixValue m, bool isCounter, bool isRate)
    {
        if (fs.Length < 2)
        {
            return null;
        }

        var result = fs[^1] - fs[0];
        if (isCounter)
        {
            var prev = fs[0];
            for (var i = 1; i < fs.Length; i++)
            {
                if (fs[i] < prev)
                {
                    result += prev;
                }

                prev = fs[i];
            }
        }

        var factor = ExtrapolationFactor(m.RangeStart, m.RangeEnd, ts, isCounter, result, fs[0], isRate);

        return result * factor;
    }

    /// <summary>
    /// How much to scale the increase seen between the first and last sample of a window to cover the whole window
    /// (extrapolating by at most half a sample interval past each end, and not below zero for counters); divided
    /// by the window's seconds for a rate.
    /// </summary>
    private static double ExtrapolationFactor(long rangeStart, long rangeEnd, ReadOnlySpan<long> ts, bool isCounter, double increase, double first, bool isRate)
    {
        var durationToStart = (ts[0] - rangeStart) / 1000.0;
        var durationToEnd = (rangeEnd - ts[^1]) / 1000.0;
        var sampled = (ts[^1] - ts[0]) / 1000.0;
        var average = sampled / (ts.Length - 1);
        var threshold = average * 1.1;
        if (durationToStart >= threshold)
        {
            durationToStart = average / 2;
        }

        if (isCounter && increase > 0 && first >= 0)
        {
            // A counter cannot go below zero: do not extrapolate past the point where it would reach it.
            var durationToZero = sampled * (first / increase);
            if (durationToZero < durationToStart)
            {
                durationToStart = durationToZero;
            }
        }

        if (durationToEnd >= threshold)
        {
            durationToEnd = average / 2;
        }

        var factor = (sampled + durationToStart + durationToEnd) / sampled;
        if (isRate)
        {
            factor /= (rangeEnd - rangeStart) / 1000.0;
        }

        return factor;
    }

    private static double? InstantDelta(ReadOnlySpan<long> ts, ReadOnlySpan<double> fs, bool isRate)
    {
        if (fs.Length < 2)
        {
            return null;
        }

        var last = fs[^1];
        var prev = fs[^2];
        var result = isRate && last < prev ? last : last - prev;
        if (!isRate)
        {
            return result;
        }

        var interval = ts[^1] - ts[^2];
        return interval == 0 ? null : result / (interval / 1000.0);
    }

    private static (double Slope, double Intercept) LinearRegression(ReadOnlySpan<long> ts, ReadOnlySpan<double> fs, long interceptTime)
    {
        KahanSum sumX = default, sumY = default, sumXY = default, sumX2 = default;
        var constY = true;
        var initY = fs[0];
        for (var i = 0; i < fs.Length; i++)
        {
            if (constY && i > 0 && fs[i] != initY)
            {
                constY = false;
            }

            var x = (ts[i] - interceptTime) / 1000.0;
            sumX.Add(x);
            sumY.Add(fs[i]);
            sumXY.Add(x * fs[i]);
            sumX2.Add(x * x);
        }

        if (constY)
        {
            return double.IsInfinity(initY) ? (double.NaN, double.NaN) : (0, initY);
        }

        double n = fs.Length;
        var covXY = sumXY.Value - (sumX.Value * sumY.Value / n);
        var varX = sumX2.Value - (sumX.Value * sumX.Value / n);
        var slope = covXY / varX;
        var intercept = (sumY.Value / n) - (slope * sumX.Value / n);
        return (slope, intercept);
    }

    private static double Predict(ReadOnlySpan<long> ts, ReadOnlySpan<double> fs, long t, double seconds)
    {
        var (slope, intercept) = LinearRegression(ts, fs, t);
        return intercept + (slope * seconds);
    }

    // Holt's linear smoothing: a level and a trend, each blended with its own factor.
    private static double Smooth(ReadOnlySpan<double> fs, double sf, double tf)
    {
        double s0 = 0, s1 = fs[0];
        var b = fs[1] - fs[0];
        for (var i = 1; i < fs.Length; i++)
        {
            if (i > 1)
            {
                b = (tf * (s1 - s0)) + ((1 - tf) * b);
            }

            var next = (sf * fs[i]) + ((1 - sf) * (s1 + b));
            s0 = s1;
            s1 = next;
        }

        return s1;
    }

    private static double Resets(ReadOnlySpan<double> fs)
    {
        var n = 0;
        for (var i = 1; i < fs.Length; i++)
        {
            if (fs[i] < fs[i - 1])
            {
                n++;
            }
        }

        return n;
    }

    private static double Changes(ReadOnlySpan<double> fs)
    {
        var n = 0;
        for (var i = 1; i < fs.Length; i++)
        {
            if (fs[i] != fs[i - 1] && !(double.IsNaN(fs[i]) && double.IsNaN(fs[i - 1])))
            {
                n++;
            }
        }

        return n;
    }

    private static double Sum(ReadOnlySpan<double> fs)
    {
        var sum = new KahanSum();
        foreach (var f in fs)
        {
            sum.Add(f);
        }

        return sum.Value;
    }

    private static double IncrementalMean(ReadOnlySpan<double> fs)
    {
        double mean = 0;
        for (var i = 0; i < fs.Length; i++)
        {
            if (double.IsInfinity(mean) && (double.IsFinite(fs[i]) || (double.IsInfinity(fs[i]) && Math.Sign(mean) == Math.Sign(fs[i]))))
            {
                continue;
            }

            mean += (fs[i] / (i + 1)) - (mean / (i + 1));
        }

        return mean;
    }

    private static double Extreme(ReadOnlySpan<double> fs, bool max) => fs[ExtremeIndex(fs, max)];

    private static int ExtremeIndex(ReadOnlySpan<double> fs, bool max)
    {
        var best = 0;
        for (var i = 1; i < fs.Length; i++)
        {
            var v = fs[best];
            if ((max ? fs[i] > v : fs[i] < v) || (double.IsNaN(v) && !double.IsNaN(fs[i])))
            {
                best = i;
            }
        }

        return best;
    }

    private static double Mad(ReadOnlySpan<double> fs)
    {
        var values = fs.ToArray();
        if (Array.Exists(values, double.IsNaN))
        {
            return double.NaN;
        }

        var median = Quantile(0.5, values);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Abs(values[i] - median);
        }

        return Quantile(0.5, values);
    }
}
