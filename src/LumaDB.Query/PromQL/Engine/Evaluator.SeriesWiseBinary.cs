using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Binary operators between two vectors in series-wise plans: one-to-one arithmetic and comparisons and the set
/// operators. Each series' match signature is computed once; the pairing then holds for every step where both
/// sides have a value. Data the step-by-step path would reject (duplicate match groups) goes back to it.
/// </summary>
internal sealed partial class Evaluator
{
    private SeriesNode? PlanVectorBinary(BinaryExpr b)
    {
        var m = b.Matching;
        if (m is not null && (m.FillLeft is not null || m.FillRight is not null || m.Include.Count > 0))
        {
            return null;
        }

        if (b.Operator.IsSetOperator())
        {
            return PlanSeriesWise(b.Left) is { } l && PlanSeriesWise(b.Right) is { } r ? new SetOpNode(this, b, l, r) : null;
        }

        if (m is not null && m.Cardinality != MatchCardinality.OneToOne)
        {
            return null;
        }

        return PlanSeriesWise(b.Left) is { } left && PlanSeriesWise(b.Right) is { } right ? new MatchNode(this, b, left, right) : null;
    }

    private List<StepSeries> Gather(SeriesNode node)
    {
        var result = new List<StepSeries>();
        node.Run(s =>
        {
            if (Keep(s) is { } copy)
            {
                result.Add(copy);
            }
        });
        return result;
    }

    /// <summary>Per match signature, the steps where some series of <paramref name="series"/> has a value.</summary>
    private static Dictionary<LabelSet, bool[]> PresenceBySignature(List<StepSeries> series, VectorMatching? m, int steps)
    {
        var result = new Dictionary<LabelSet, bool[]>();
        foreach (var s in series)
        {
            var sig = Signature(s.Labels, m);
            if (!result.TryGetValue(sig, out var mask))
            {
                mask = new bool[steps];
                result[sig] = mask;
            }

            for (var i = 0; i < steps; i++)
            {
                mask[i] |= s.Present[i];
            }
        }

        return result;
    }

    /// <summary>One-to-one arithmetic or comparison: each left series against the right series of its signature.</summary>
    private sealed class MatchNode(Evaluator ev, BinaryExpr b, SeriesNode left, SeriesNode right) : SeriesNode
    {
        public override bool StableOrder => left.StableOrder;

        public override void Run(Action<StepSeries> sink)
        {
            var n = ev._steps;
            var m = b.Matching ?? new VectorMatching();
            var op = b.Operator;
            var lhs = ev.Gather(left);
            var rhs = ev.Gather(right);
            if (ev._seriesWiseAbort)
            {
                return;
            }

            // The right side of each signature; two right series with a value at the same step are an error.
            var one = new Dictionary<LabelSet, StepSeries>();
            foreach (var r in rhs)
            {
                var sig = Signature(r.Labels, m);
                if (!one.TryGetValue(sig, out var merged))
                {
                    one[sig] = r;
                    continue;
                }

                if (Overlaps(merged.Present, r.Present))
                {
                    ev._seriesWiseAbort = true;
                    return;
                }

                // Series sharing a signature at different steps: a new copy, as others may still point to the first.
                merged = merged.Copy();
                for (var i = 0; i < n; i++)
                {
                    if (r.Present[i])
                    {
                        merged.Present[i] = true;
                        merged.Values[i] = r.Values[i];
                    }
                }

                one[sig] = merged;
            }

            // Two left series of one signature at the same step need group modifiers: the step-by-step path reports it.
            var seen = new Dictionary<LabelSet, bool[]>();
            foreach (var l in lhs)
            {
                var sig = Signature(l.Labels, m);
                if (!seen.TryGetValue(sig, out var mask))
                {
                    seen[sig] = (bool[])l.Present.Clone();
                    continue;
                }

                if (Overlaps(mask, l.Present))
                {
                    ev._seriesWiseAbort = true;
                    return;
                }

                for (var i = 0; i < n; i++)
                {
                    mask[i] |= l.Present[i];
                }
            }

            var dropForOp = b.ReturnBool || !op.IsComparison();
            var names = m.MatchingLabels;
            foreach (var l in lhs)
            {
                ev._cancellation.ThrowIfCancellationRequested();
                if (!one.TryGetValue(Signature(l.Labels, m), out var o))
                {
                    continue;
                }

                var any = false;
                for (var i = 0; i < n; i++)
                {
                    if (!l.Present[i] || !o.Present[i])
                    {
                        l.Present[i] = false;
                        continue;
                    }

                    var (value, keep) = Apply(op, l.Values[i], o.Values[i]);
                    if (b.ReturnBool)
                    {
                        value = keep ? 1 : 0;
                        keep = true;
                    }

                    l.Present[i] = keep;
                    l.Values[i] = value;
                    any |= keep;
                }

                if (!any)
                {
                    continue;
                }

                l.Labels = m.On
                    ? l.Labels.Filter(name => Contains(names, name))
                    : l.Labels.Filter(name => !Contains(names, name));
                l.DropName = dropForOp || l.DropName;
                sink(l);
            }
        }

        private static bool Overlaps(bool[] a, bool[] b)
        {
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] && b[i])
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary><c>and</c>, <c>or</c>, <c>unless</c>: series pass or not per step by the other side's signatures.</summary>
    private sealed class SetOpNode(Evaluator ev, BinaryExpr b, SeriesNode left, SeriesNode right) : SeriesNode
    {
        public override bool StableOrder => left.StableOrder && (b.Operator != BinaryOperator.Or || right.StableOrder);

        public override void Run(Action<StepSeries> sink)
        {
            var n = ev._steps;
            var m = b.Matching;
            if (b.Operator == BinaryOperator.Or)
            {
                // The left side passes whole; the right side fills the steps its signature has no left value at.
                var lhs = ev.Gather(left);
                if (ev._seriesWiseAbort)
                {
                    return;
                }

                foreach (var l in lhs)
                {
                    sink(l);
                }

                var taken = PresenceBySignature(lhs, m, n);
                right.Run(r =>
                {
                    if (taken.TryGetValue(Signature(r.Labels, m), out var mask) && !Keep(r.Present, mask, want: false))
                    {
                        return;
                    }

                    sink(r);
                });
                return;
            }

            var others = PresenceBySignature(ev.Gather(right), m, n);
            if (ev._seriesWiseAbort)
            {
                return;
            }

            var wantPresent = b.Operator == BinaryOperator.And;
            left.Run(l =>
            {
                if (others.TryGetValue(Signature(l.Labels, m), out var mask))
                {
                    if (Keep(l.Present, mask, wantPresent))
                    {
                        sink(l);
                    }
                }
                else if (!wantPresent)
                {
                    sink(l);
                }
            });
        }

        // Keeps the steps where the mask is as wanted; whether any step is left.
        private static bool Keep(bool[] present, bool[] mask, bool want)
        {
            var any = false;
            for (var i = 0; i < present.Length; i++)
            {
                present[i] &= mask[i] == want;
                any |= present[i];
            }

            return any;
        }
    }
}
