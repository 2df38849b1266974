using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Aggregations and <c>histogram_quantile</c> in series-wise plans: each input series' group is worked out once,
/// then its step arrays fold into per-group step arrays in input order (the order the step-by-step path folds in).
/// </summary>
internal sealed partial class Evaluator
{
    private SeriesNode? PlanAggregate(AggregateExpr a)
    {
        var op = a.Operator;
        var folds = op is AggregationOperator.Sum or AggregationOperator.Avg or AggregationOperator.Min or AggregationOperator.Max
            or AggregationOperator.Count or AggregationOperator.Group;
        var ranks = op is AggregationOperator.Topk or AggregationOperator.Bottomk;
        var param = 0.0;
        if (ranks || op == AggregationOperator.Quantile)
        {
            if (a.Parameter is null || !TryConstant(a.Parameter, out param) || (ranks && (double.IsNaN(param) || Math.Abs(param) > long.MaxValue)))
            {
                return null;
            }

            if (op == AggregationOperator.Quantile)
            {
                CheckQuantile(param, a.Parameter);
            }
        }
        else if (!folds && op is not (AggregationOperator.Stddev or AggregationOperator.Stdvar))
        {
            return null;
        }

        // Grouping by the metric name interacts with the deferred name removal; the step-by-step path handles it.
        if (!a.Without && Contains(a.Grouping, LabelSet.MetricName))
        {
            return null;
        }

        if (PlanSeriesWise(a.Inner) is not { } child)
        {
            return null;
        }

        // Sums and ranks depend on the order they see their inputs in; counting does not.
        if (!child.StableOrder && op is not (AggregationOperator.Count or AggregationOperator.Group))
        {
            return null;
        }

        return folds ? new FoldNode(this, a, child) : new GatherNode(this, a, child, param);
    }

    /// <summary>Sum, avg, min, max, count and group: running per-group state for every step.</summary>
    private sealed class FoldNode(Evaluator ev, AggregateExpr a, SeriesNode child) : SeriesNode
    {
        public override bool StableOrder => a.Grouping.Count == 0 && !a.Without;

        public override void Run(Action<StepSeries> sink)
        {
            var n = ev._steps;
            var op = a.Operator;
            var index = new Dictionary<LabelSet, int>();
            var groups = new List<GroupFold>();
            child.Run(s =>
            {
                var key = GroupKey(a, s.Labels);
                if (!index.TryGetValue(key, out var g))
                {
                    if (!ev.Reserve(3L * n))
                    {
                        return;
                    }

                    g = groups.Count;
                    index[key] = g;
                    groups.Add(new GroupFold(key, n, op));
                }

                groups[g].Add(s, op);
            });

            if (ev._seriesWiseAbort)
            {
                return;
            }

            var buffer = new StepSeries(n) { DropName = false };
            foreach (var group in groups)
            {
                ev._cancellation.ThrowIfCancellationRequested();
                buffer.Labels = group.Key;
                if (group.Fill(buffer, op))
                {
                    sink(buffer);
                }
            }
        }
    }

    /// <summary>One group's running state per step; the arithmetic is that of <see cref="AggregateGroup"/>.</summary>
    private sealed class GroupFold(LabelSet key, int steps, AggregationOperator op)
    {
        private readonly int[] _count = new int[steps];
        private readonly KahanSum[] _sum = op is AggregationOperator.Sum or AggregationOperator.Avg ? new KahanSum[steps] : [];
        private readonly double[] _value = op is AggregationOperator.Avg or AggregationOperator.Min or AggregationOperator.Max ? new double[steps] : [];

        public LabelSet Key { get; } = key;

        public void Add(StepSeries s, AggregationOperator op)
        {
            var values = s.Values;
            var present = s.Present;
            for (var i = 0; i < values.Length; i++)
            {
                if (!present[i])
                {
                    continue;
                }

                var f = values[i];
                var c = _count[i]++;
                switch (op)
                {
                    case AggregationOperator.Sum:
                        _sum[i].Add(f);
                        break;
                    case AggregationOperator.Avg:
                        {
                            _sum[i].Add(f);

                            // The incremental mean the step-by-step path falls back to when the sum overflows.
                            var mean = _value[i];
                            if (!(double.IsInfinity(mean) && (double.IsFinite(f) || (double.IsInfinity(f) && Math.Sign(mean) == Math.Sign(f)))))
                            {
                                _value[i] = mean + ((f / (c + 1)) - (mean / (c + 1)));
                            }

                            break;
                        }

                    case AggregationOperator.Min:
                        if (c == 0 || _value[i] > f || double.IsNaN(_value[i]))
                        {
                            _value[i] = f;
                        }

                        break;
                    case AggregationOperator.Max:
                        if (c == 0 || _value[i] < f || double.IsNaN(_value[i]))
                        {
                            _value[i] = f;
                        }

                        break;
                }
            }
        }

        /// <summary>Writes the group's result per step into <paramref name="into"/>; false when it has none.</summary>
        public bool Fill(StepSeries into, AggregationOperator op)
        {
            var any = false;
            for (var i = 0; i < _count.Length; i++)
            {
                var c = _count[i];
                into.Present[i] = c > 0;
                if (c == 0)
                {
                    continue;
                }

                any = true;
                into.Values[i] = op switch
                {
                    AggregationOperator.Sum => _sum[i].Value,
                    AggregationOperator.Avg => !double.IsInfinity(_sum[i].Value) ? _sum[i].Value / c : _value[i],
                    AggregationOperator.Min or AggregationOperator.Max => _value[i],
                    AggregationOperator.Count => c,
                    _ => 1,
                };
            }

            return any;
        }
    }

    /// <summary>
    /// Topk, bottomk, quantile, stddev and stdvar: the inputs are kept, then each group's present values of a step
    /// are gathered in input order and handed to the step-by-step path's kernels.
    /// </summary>
    private sealed class GatherNode(Evaluator ev, AggregateExpr a, SeriesNode child, double param) : SeriesNode
    {
        private bool Ranks => a.Operator is AggregationOperator.Topk or AggregationOperator.Bottomk;

        // A rank's output at a step is in sorted order, which changes from step to step.
        public override bool StableOrder => !Ranks && a.Grouping.Count == 0 && !a.Without;

        public override void Run(Action<StepSeries> sink)
        {
            var n = ev._steps;
            var inputs = new List<StepSeries>();
            var index = new Dictionary<LabelSet, int>();
            var keys = new List<LabelSet>();
            var members = new List<List<int>>();
            var names = new List<string>();
            child.Run(s =>
            {
                if (ev.Keep(s) is not { } copy)
                {
                    return;
                }

                var key = GroupKey(a, s.Labels);
                if (!index.TryGetValue(key, out var g))
                {
                    g = keys.Count;
                    index[key] = g;
                    keys.Add(key);
                    members.Add([]);
                }

                members[g].Add(inputs.Count);
                inputs.Add(copy);
            });

            if (ev._seriesWiseAbort)
            {
                return;
            }

            if (Ranks)
            {
                Rank(inputs, members, sink);
                return;
            }

            var buffer = new StepSeries(n) { DropName = false };
            for (var g = 0; g < keys.Count; g++)
            {
                ev._cancellation.ThrowIfCancellationRequested();
                var group = members[g];
                var scratch = new double[group.Count];
                var any = false;
                for (var i = 0; i < n; i++)
                {
                    var count = 0;
                    foreach (var m in group)
                    {
                        if (inputs[m].Present[i])
                        {
                            scratch[count++] = inputs[m].Values[i];
                        }
                    }

                    buffer.Present[i] = count > 0;
                    if (count == 0)
                    {
                        continue;
                    }

                    any = true;
                    buffer.Values[i] = a.Operator switch
                    {
                        AggregationOperator.Stddev => Math.Sqrt(Variance(scratch.AsSpan(0, count))),
                        AggregationOperator.Stdvar => Variance(scratch.AsSpan(0, count)),
                        _ => Quantile(param, scratch.AsSpan(0, count).ToArray()),
                    };
                }

                if (any)
                {
                    buffer.Labels = keys[g];
                    sink(buffer);
                }
            }
        }

        private void Rank(List<StepSeries> inputs, List<List<int>> members, Action<StepSeries> sink)
        {
            var n = ev._steps;
            var k = (long)param;
            var top = a.Operator == AggregationOperator.Topk;
            Comparison<(double F, int Index)> order = (x, y) => CompareForRank(x.F, y.F, top);
            var selected = new bool[inputs.Count][];
            var scratch = new List<(double F, int Index)>();
            foreach (var group in members)
            {
                ev._cancellation.ThrowIfCancellationRequested();
                for (var i = 0; i < n && k > 0; i++)
                {
                    scratch.Clear();
                    foreach (var m in group)
                    {
                        if (inputs[m].Present[i])
                        {
                            scratch.Add((inputs[m].Values[i], m));
                        }
                    }

                    // The same sort as the step-by-step path, so ties resolve the same way; all fit when k covers them.
                    if (scratch.Count > k)
                    {
                        scratch.Sort(order);
                    }

                    for (var j = 0; j < scratch.Count && j < k; j++)
                    {
                        var m = scratch[j].Index;
                        (selected[m] ??= new bool[n])[i] = true;
                    }
                }
            }

            for (var m = 0; m < inputs.Count; m++)
            {
                if (selected[m] is { } chosen)
                {
                    var s = inputs[m];
                    chosen.CopyTo(s.Present, 0);
                    sink(s);
                }
            }
        }
    }

    /// <summary>
    /// <c>histogram_quantile</c> over classic bucket series: each series' group and bound are parsed once; per step
    /// a group's present buckets go through the step-by-step path's normalisation and interpolation.
    /// </summary>
    private sealed class BucketQuantileNode(Evaluator ev, SeriesNode child, double q, Expr at) : SeriesNode
    {
        public override bool StableOrder => false;

        public override void Run(Action<StepSeries> sink)
        {
            var n = ev._steps;
            var inputs = new List<(StepSeries Series, double Le)>();
            var index = new Dictionary<LabelSet, int>();
            var keys = new List<LabelSet>();
            var members = new List<List<int>>();
            var names = new List<string>();
            child.Run(s =>
            {
                var leText = s.Labels.Get("le");
                if (leText.Length == 0 || !PromQLParser.TryParseNumber(leText, out var le))
                {
                    ev.Warn(AnnotationText.BadBucketLabel(s.Labels.Get(LabelSet.MetricName), leText), at);
                    return;
                }

                var key = s.Labels.Without("le");
                if (!index.TryGetValue(key, out var g))
                {
                    g = keys.Count;
                    index[key] = g;
                    keys.Add(key);
                    names.Add(s.Labels.Get(LabelSet.MetricName));
                    members.Add([]);
                }

                if (ev.Keep(s) is { } copy)
                {
                    members[g].Add(inputs.Count);
                    inputs.Add((copy, le));
                }
            });

            // Equal bounds in one group merge in the order they arrive, which only a stable input reproduces.
            if (ev._seriesWiseAbort || (!child.StableOrder && members.Exists(g => g.Select(m => inputs[m].Le).Distinct().Count() < g.Count)))
            {
                ev._seriesWiseAbort = true;
                return;
            }

            var buffer = new StepSeries(n) { DropName = true };
            var buckets = new List<(double Le, double Count)>();
            for (var g = 0; g < keys.Count; g++)
            {
                ev._cancellation.ThrowIfCancellationRequested();
                var any = false;
                for (var i = 0; i < n; i++)
                {
                    buckets.Clear();
                    foreach (var m in members[g])
                    {
                        var (s, le) = inputs[m];
                        if (s.Present[i])
                        {
                            buckets.Add((le, s.Values[i]));
                        }
                    }

                    buffer.Present[i] = buckets.Count > 0;
                    if (buckets.Count == 0)
                    {
                        continue;
                    }

                    any = true;
                    var normalized = Normalize(buckets, out var forced);
                    if (forced)
                    {
                        ev.Info(AnnotationText.ForcedMonotonicity(names[g]), at);
                    }

                    buffer.Values[i] = normalized is null ? double.NaN : BucketQuantile(q, normalized);
                }

                if (any)
                {
                    buffer.Labels = keys[g];
                    sink(buffer);
                }
            }
        }
    }
}
