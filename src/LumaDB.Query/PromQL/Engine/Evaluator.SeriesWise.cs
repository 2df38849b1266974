using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Series-wise range evaluation: for the common dashboard shapes (selectors, range functions over a matrix
/// selector, arithmetic and comparisons, set operators, aggregations, <c>histogram_quantile</c>) each series is
/// computed for all steps in one pass over its sorted samples, and aggregations fold those dense step arrays
/// per group. Anything else, and any data it does not handle (native histograms, label sets that collide, the
/// sample limit), goes back to the step-by-step path, so results are the same either way.
/// </summary>
internal sealed partial class Evaluator
{
    // Above this many steps the dense per-series arrays would cost more than the step-by-step path saves.
    private const long MaxSeriesWiseSteps = 1 << 20;

    // Values kept at once by nodes that hold whole series (about 9 bytes each); past it the step-by-step path,
    // which holds one step at a time, is the better trade.
    private const long MaxSeriesWiseValues = 32L << 20;

    private long _keptValues;
    private int _steps;
    private long[] _stepLoad = [];
    private bool _seriesWiseAbort;

    /// <summary>
    /// Evaluates the range query series by series; null when <paramref name="root"/> or its data needs the
    /// step-by-step path.
    /// </summary>
    public List<MatrixSeries>? TryEvalSeriesWise(Expr root)
    {
        if (root.Type != PromQLValueType.Vector || _step <= 0 || _end < _start || (_end - _start) / _step + 1 > MaxSeriesWiseSteps)
        {
            return null;
        }

        _steps = (int)((_end - _start) / _step + 1);
        _stepLoad = new long[_steps];
        _seriesWiseAbort = false;
        _keptValues = 0;
        var node = PlanSeriesWise(root);
        if (node is null)
        {
            return null;
        }

        var held = new long[_steps];
        var output = new Dictionary<LabelSet, (long[] T, double[] F)>();
        node.Run(s => Collect(s, held, output));
        if (_seriesWiseAbort)
        {
            return null;
        }

        // The step-by-step path holds the points already collected plus the step's own samples.
        long kept = 0;
        for (var i = 0; i < _steps; i++)
        {
            if (kept + _stepLoad[i] > _maxSamples)
            {
                return null;
            }

            kept += held[i];
        }

        var result = new List<MatrixSeries>(output.Count);
        foreach (var (labels, (ts, fs)) in output)
        {
            result.Add(new MatrixSeries(labels, ts, fs));
        }

        result.Sort(static (a, b) => LabelSet.Compare(a.Labels, b.Labels));
        return result;
    }

    private void Collect(StepSeries s, long[] held, Dictionary<LabelSet, (long[] T, double[] F)> output)
    {
        var present = s.Present;
        var count = 0;
        for (var i = 0; i < present.Length; i++)
        {
            if (present[i])
            {
                count++;
                held[i]++;
            }
        }

        if (count == 0)
        {
            return;
        }

        var ts = new long[count];
        var fs = new double[count];
        var n = 0;
        for (var i = 0; i < present.Length; i++)
        {
            if (present[i])
            {
                ts[n] = _start + (i * _step);
                fs[n++] = s.Values[i];
            }
        }

        var labels = s.DropName ? PromQLEngine.DropMetricName(s.Labels) : s.Labels;
        if (output.TryGetValue(labels, out var existing))
        {
            // Series whose labels become equal merge when they never share a step; otherwise the step-by-step
            // path reports the collision.
            if (Merge(existing, (ts, fs)) is { } merged)
            {
                output[labels] = merged;
            }
            else
            {
                _seriesWiseAbort = true;
            }

            return;
        }

        output[labels] = (ts, fs);
    }

    private static (long[] T, double[] F)? Merge((long[] T, double[] F) a, (long[] T, double[] F) b)
    {
        var ts = new long[a.T.Length + b.T.Length];
        var fs = new double[ts.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.T.Length || j < b.T.Length)
        {
            if (i < a.T.Length && j < b.T.Length && a.T[i] == b.T[j])
            {
                return null;
            }

            if (j >= b.T.Length || (i < a.T.Length && a.T[i] < b.T[j]))
            {
                ts[n] = a.T[i];
                fs[n++] = a.F[i++];
            }
            else
            {
                ts[n] = b.T[j];
                fs[n++] = b.F[j++];
            }
        }

        return (ts, fs);
    }

    private long StepTime(int i) => _start + (i * _step);

    /// <summary>A copy of <paramref name="s"/> to keep, or null (and the plan abandoned) past the memory budget.</summary>
    private StepSeries? Keep(StepSeries s) => Reserve(s.Values.Length) ? s.Copy() : null;

    /// <summary>Counts <paramref name="values"/> more kept values; false (and the plan abandoned) past the budget.</summary>
    private bool Reserve(long values)
    {
        _keptValues += values;
        if (_keptValues > MaxSeriesWiseValues)
        {
            _seriesWiseAbort = true;
        }

        return !_seriesWiseAbort;
    }

    /// <summary>The series-wise node for <paramref name="e"/>, or null when the shape is not handled.</summary>
    private SeriesNode? PlanSeriesWise(Expr e)
    {
        switch (e)
        {
            case ParenExpr p:
                return PlanSeriesWise(p.Inner);
            case StepInvariantExpr si:
                return PlanSeriesWise(si.Inner);
            case VectorSelector vs:
                return PlainSelector(vs) ? new SelectorNode(this, vs) : null;
            case UnaryExpr u when u.Operand.Type == PromQLValueType.Vector:
                return PlanSeriesWise(u.Operand) is { } operand ? (u.Negate ? new MapNode(operand, static f => -f) : operand) : null;
            case BinaryExpr b:
                return PlanBinary(b);
            case AggregateExpr a:
                return PlanAggregate(a);
            case Call c:
                return PlanCall(c);
            default:
                return null;
        }
    }

    // Selectors without @, anchored or smoothed, whose data holds only float samples.
    private bool PlainSelector(VectorSelector vs) =>
        vs.Timestamp is null && vs.At == AtBound.None && !vs.Anchored && !vs.Smoothed && FetchHistograms(vs).Count == 0;

    private SeriesNode? PlanBinary(BinaryExpr b)
    {
        var op = b.Operator;
        if (b.Left.Type == PromQLValueType.Vector && b.Right.Type == PromQLValueType.Vector)
        {
            return op is BinaryOperator.TrimUpper or BinaryOperator.TrimLower ? null : PlanVectorBinary(b);
        }

        if (!(op.IsComparison() || op is BinaryOperator.Add or BinaryOperator.Sub or BinaryOperator.Mul or BinaryOperator.Div
            or BinaryOperator.Mod or BinaryOperator.Pow or BinaryOperator.Atan2))
        {
            return null;
        }

        if (b.Left.Type == PromQLValueType.Vector && TryConstant(b.Right, out var right))
        {
            return PlanSeriesWise(b.Left) is { } child ? new ScalarOpNode(child, b, right, swap: false) : null;
        }

        if (b.Right.Type == PromQLValueType.Vector && TryConstant(b.Left, out var left))
        {
            return PlanSeriesWise(b.Right) is { } child ? new ScalarOpNode(child, b, left, swap: true) : null;
        }

        return null;
    }

    private SeriesNode? PlanCall(Call c)
    {
        var name = c.Function.Name;
        var args = c.Arguments;
        if (MathFunction(name) is { } math && args.Count == 1)
        {
            return PlanSeriesWise(args[0]) is { } child ? new MapNode(child, math) : null;
        }

        if (ConstantMap(name, args) is { } map)
        {
            return PlanSeriesWise(args[0]) is { } child ? new MapNode(child, map) : null;
        }

        if (name == "histogram_quantile" && args.Count == 2 && TryConstant(args[0], out var q))
        {
            CheckQuantile(q, args[0]);
            return PlanSeriesWise(args[1]) is { } child ? new BucketQuantileNode(this, child, q, args[1]) : null;
        }

        if (RangeKernelOf(name) is not { } kernel)
        {
            return null;
        }

        var matrixIndex = kernel == RangeKernel.QuantileOverTime ? 1 : 0;
        var paramIndex = kernel switch
        {
            RangeKernel.QuantileOverTime => 0,
            RangeKernel.PredictLinear => 1,
            _ => -1,
        };
        if (matrixIndex >= args.Count || Unwrap(args[matrixIndex]) is not MatrixSelector ms || !PlainSelector(ms.Selector)
            || DurationMs(ms.RangeDuration, ms.RangeExpr) <= 0)
        {
            return null;
        }

        var param = 0.0;
        if (paramIndex >= 0 && (paramIndex >= args.Count || !TryConstant(args[paramIndex], out param)))
        {
            return null;
        }

        if (kernel == RangeKernel.QuantileOverTime)
        {
            CheckQuantile(param, args[0]);
        }

        return new RangeFunctionNode(this, ms, kernel, param);
    }

    // Clamping and rounding with constant bounds, as EvalCall maps them; an empty clamp range is left to it.
    private static Func<double, double>? ConstantMap(string name, IReadOnlyList<Expr> args)
    {
        switch (name)
        {
            case "clamp" when args.Count == 3 && TryConstant(args[1], out var min) && TryConstant(args[2], out var max) && !(max < min):
                return f => Math.Max(min, Math.Min(max, f));
            case "clamp_min" when args.Count == 2 && TryConstant(args[1], out var min):
                return f => Math.Max(min, f);
            case "clamp_max" when args.Count == 2 && TryConstant(args[1], out var max):
                return f => Math.Min(max, f);
            case "round" when args.Count == 1 || (args.Count == 2 && TryConstant(args[1], out _)):
                {
                    var to = 1.0;
                    if (args.Count == 2)
                    {
                        TryConstant(args[1], out to);
                    }

                    var inverse = 1.0 / to;
                    return f => Math.Floor((f * inverse) + 0.5) / inverse;
                }

            default:
                return null;
        }
    }

    /// <summary>A scalar that is the same at every step: a number, possibly negated or in parentheses.</summary>
    private static bool TryConstant(Expr e, out double value)
    {
        switch (e)
        {
            case NumberLiteral n:
                value = n.Value;
                return true;
            case ParenExpr p:
                return TryConstant(p.Inner, out value);
            case StepInvariantExpr si:
                return TryConstant(si.Inner, out value);
            case UnaryExpr u when TryConstant(u.Operand, out var inner):
                value = u.Negate ? -inner : inner;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>A node of a series-wise plan: produces its series one at a time.</summary>
    private abstract class SeriesNode
    {
        /// <summary>
        /// Whether the series come in the order the step-by-step path lists them at every step (input order);
        /// folds whose result depends on the order (sums, ranks) need it to give the same answer.
        /// </summary>
        public virtual bool StableOrder => true;

        /// <summary>Calls <paramref name="sink"/> once per series; the instance passed may be reused afterwards.</summary>
        public abstract void Run(Action<StepSeries> sink);
    }

    /// <summary>An instant selector: per series, the newest sample within the lookback window of each step.</summary>
    private sealed class SelectorNode(Evaluator ev, VectorSelector vs) : SeriesNode
    {
        public override void Run(Action<StepSeries> sink)
        {
            var n = ev._steps;
            var offset = ev.DurationMs(vs.Offset, vs.OffsetExpr);
            var lookback = ev._options.LookbackDeltaMs;
            var load = ev._stepLoad;
            var buffer = new StepSeries(n);
            foreach (var s in ev.Fetch(vs))
            {
                ev._cancellation.ThrowIfCancellationRequested();
                var ts = s.Timestamps;
                var values = s.Values;
                var refTime = ev._start - offset;
                var j = UpperBound(ts, refTime) - 1;
                var any = false;
                for (var i = 0; i < n; i++, refTime += ev._step)
                {
                    while (j + 1 < ts.Length && ts[j + 1] <= refTime)
                    {
                        j++;
                    }

                    var present = j >= 0 && ts[j] > refTime - lookback && !StaleMarker.Is(values[j]);
                    buffer.Present[i] = present;
                    if (present)
                    {
                        buffer.Values[i] = values[j];
                        load[i]++;
                        any = true;
                    }
                }

                if (any)
                {
                    buffer.Labels = s.Labels;
                    buffer.DropName = false;
                    sink(buffer);
                }
            }
        }
    }

    /// <summary>A float function applied to every value; the result loses the metric name.</summary>
    private sealed class MapNode(SeriesNode child, Func<double, double> f) : SeriesNode
    {
        public override bool StableOrder => child.StableOrder;

        public override void Run(Action<StepSeries> sink) => child.Run(s =>
        {
            var values = s.Values;
            var present = s.Present;
            for (var i = 0; i < values.Length; i++)
            {
                if (present[i])
                {
                    values[i] = f(values[i]);
                }
            }

            s.DropName = true;
            sink(s);
        });
    }

    /// <summary>Arithmetic or a comparison between a vector and a constant scalar.</summary>
    private sealed class ScalarOpNode(SeriesNode child, BinaryExpr b, double scalar, bool swap) : SeriesNode
    {
        public override bool StableOrder => child.StableOrder;

        public override void Run(Action<StepSeries> sink)
        {
            var op = b.Operator;
            var comparison = op.IsComparison();
            child.Run(s =>
            {
                var values = s.Values;
                var present = s.Present;
                var any = false;
                for (var i = 0; i < values.Length; i++)
                {
                    if (!present[i])
                    {
                        continue;
                    }

                    var (l, r) = swap ? (scalar, values[i]) : (values[i], scalar);
                    var (value, keep) = Apply(op, l, r);
                    if (comparison && swap)
                    {
                        // The vector element's value is the result even when the scalar is on the left.
                        value = r;
                    }

                    if (b.ReturnBool)
                    {
                        value = keep ? 1 : 0;
                        keep = true;
                    }

                    present[i] = keep;
                    values[i] = value;
                    any |= keep;
                }

                if (any)
                {
                    s.DropName = s.DropName || b.ReturnBool || !comparison;
                    sink(s);
                }
            });
        }
    }
}
