using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Binary operators: scalar/scalar, vector/scalar and vector/vector with label matching.</summary>
internal sealed partial class Evaluator
{
    private EvalValue EvalBinary(BinaryExpr b, long t)
    {
        var left = Eval(b.Left, t);
        var right = Eval(b.Right, t);
        var op = b.Operator;
        if (left is ScalarValue ls && right is ScalarValue rs)
        {
            var (v, keep) = Apply(op, ls.Value, rs.Value);
            return new ScalarValue(op.IsComparison() ? (keep ? 1 : 0) : v);
        }

        if (left is VectorValue lv && right is ScalarValue rsc)
        {
            return VectorScalar(b, lv.Samples, rsc.Value, swap: false, t);
        }

        if (left is ScalarValue lsc && right is VectorValue rv)
        {
            return VectorScalar(b, rv.Samples, lsc.Value, swap: true, t);
        }

        return VectorVector(b, ((VectorValue)left).Samples, ((VectorValue)right).Samples, t);
    }

    /// <summary>Applies an arithmetic or comparison operator; comparisons return the left value and whether it holds.</summary>
    private static (double Value, bool Keep) Apply(BinaryOperator op, double l, double r) => op switch
    {
        BinaryOperator.Add => (l + r, true),
        BinaryOperator.Sub => (l - r, true),
        BinaryOperator.Mul => (l * r, true),
        BinaryOperator.Div => (l / r, true),
        BinaryOperator.Mod => (l % r, true),
        BinaryOperator.Pow => (Math.Pow(l, r), true),
        BinaryOperator.Atan2 => (Math.Atan2(l, r), true),
        BinaryOperator.Eql => (l, l == r),
        BinaryOperator.Neq => (l, l != r),
        BinaryOperator.Gtr => (l, l > r),
        BinaryOperator.Lss => (l, l < r),
        BinaryOperator.Gte => (l, l >= r),
        BinaryOperator.Lte => (l, l <= r),
        _ => throw new PromQLEvaluationException("operator " + op.Symbol() + " not allowed on floats"),
    };

    private VectorValue VectorScalar(BinaryExpr b, List<EvalSample> samples, double scalar, bool swap, long t)
    {
        var op = b.Operator;
        var result = new List<EvalSample>(samples.Count);
        foreach (var s in samples)
        {
            if (s.H is { } h)
            {
                if (HistogramScalar(op, h, scalar, swap) is { } hr)
                {
                    if (!b.ReturnBool)
                    {
                        result.Add(new EvalSample(s.Labels, hr, t, s.DropName || op.DropsMetricName()));
                    }
                }
                else
                {
                    NoteHistogramOperands(b, leftIsHistogram: !swap, rightIsHistogram: swap);
                }

                continue;
            }

            var (l, r) = swap ? (scalar, s.F) : (s.F, scalar);
            var (value, keep) = Apply(op, l, r);
            if (op.IsComparison() && swap)
            {
                // The vector element's value is the result even when the scalar is on the left.
                value = r;
            }

            if (b.ReturnBool)
            {
                value = keep ? 1 : 0;
                keep = true;
            }

            if (keep)
            {
                result.Add(new EvalSample(s.Labels, value, t, s.DropName || b.ReturnBool || op.DropsMetricName()));
            }
        }

        return new VectorValue(result);
    }

    private static LabelSet Signature(LabelSet labels, VectorMatching? m)
    {
        if (m is null)
        {
            return labels.Without(LabelSet.MetricName);
        }

        var names = m.MatchingLabels;
        return m.On
            ? labels.Filter(n => Contains(names, n))
            : labels.Filter(n => n != LabelSet.MetricName && !Contains(names, n));
    }

    /// <summary>Labels as Prometheus prints them in errors: <c>{__name__="x", a="b"}</c>.</summary>
    private static string LabelText(LabelSet labels)
    {
        var parts = new string[labels.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = GoText.FormatLabelName(labels[i].Name) + "=" + GoText.Quote(labels[i].Value);
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private VectorValue VectorVector(BinaryExpr b, List<EvalSample> lhs, List<EvalSample> rhs, long t)
    {
        var m = b.Matching;
        switch (b.Operator)
        {
            case BinaryOperator.And:
            case BinaryOperator.Unless:
                {
                    var sigs = new HashSet<LabelSet>();
                    foreach (var r in rhs)
                    {
                        sigs.Add(Signature(r.Labels, m));
                    }

                    var wantPresent = b.Operator == BinaryOperator.And;
                    var result = new List<EvalSample>();
                    foreach (var l in lhs)
                    {
                        if (sigs.Contains(Signature(l.Labels, m)) == wantPresent)
                        {
                            result.Add(l);
                        }
                    }

                    return new VectorValue(result);
                }

            case BinaryOperator.Or:
                {
                    var sigs = new HashSet<LabelSet>();
                    var result = new List<EvalSample>(lhs.Count + rhs.Count);
                    foreach (var l in lhs)
                    {
                        sigs.Add(Signature(l.Labels, m));
                        result.Add(l);
                    }

                    foreach (var r in rhs)
                    {
                        if (!sigs.Contains(Signature(r.Labels, m)))
                        {
                            result.Add(r);
                        }
                    }

                    return new VectorValue(result);
                }
        }

        return MatchedArithmetic(b, lhs, rhs, t);
    }

    private VectorValue MatchedArithmetic(BinaryExpr b, List<EvalSample> lhs, List<EvalSample> rhs, long t)
    {
        var m = b.Matching ?? new VectorMatching();
        var op = b.Operator;
        var swapped = m.Cardinality == MatchCardinality.OneToMany;
        var (many, one) = swapped ? (rhs, lhs) : (lhs, rhs);
        var oneBySig = new Dictionary<LabelSet, EvalSample>();
        foreach (var s in one)
        {
            var sig = Signature(s.Labels, m);
            if (!oneBySig.TryAdd(sig, s))
            {
                var side = swapped ? "left" : "right";
                var (first, second) = (oneBySig[sig].Labels, s.Labels);
                if (LabelSet.Compare(first, second) > 0)
                {
                    (first, second) = (second, first);
                }

                throw new PromQLEvaluationException(
                    $"found duplicate series for the match group {LabelText(sig)} on the {side} hand-side of the operation: [{LabelText(first)}, {LabelText(second)}];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }

        // Prometheus swaps the operands for group_right but not the fill values: fill_left always fills the "many" side.
        var fillMany = m.FillLeft;
        var fillOne = m.FillRight;
        var matchedOne = new HashSet<LabelSet>();
        var seenMany = new HashSet<LabelSet>();
        var results = new Dictionary<LabelSet, bool>();
        var output = new List<EvalSample>();
        var dropForOp = b.ReturnBool || op.DropsMetricName();
        foreach (var s in many)
        {
            var sig = Signature(s.Labels, m);
            EvalSample o;
            if (!oneBySig.TryGetValue(sig, out o))
            {
                if (fillOne is not double f1)
                {
                    continue;
                }

                o = new EvalSample(sig, f1, t);
            }

            if (m.Cardinality == MatchCardinality.OneToOne && !seenMany.Add(sig))
            {
                throw new PromQLEvaluationException("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
            }

            matchedOne.Add(sig);
            Emit(s, o);
        }

        if (fillMany is double f2)
        {
            foreach (var (sig, o) in oneBySig)
            {
                if (!matchedOne.Contains(sig))
                {
                    Emit(new EvalSample(sig, f2, t), o);
                }
            }
        }

        return new VectorValue(output);

        void Emit(EvalSample s, EvalSample o)
        {
            FloatHistogram? histogram = null;
            double value;
            bool keep;
            if (s.H is { } sh && o.H is { } oh && op is BinaryOperator.Eql or BinaryOperator.Neq)
            {
                // Two histograms compare for (in)equality; the left histogram is the filtered value.
                keep = sh.Equivalent(oh) == (op == BinaryOperator.Eql);
                if (!b.ReturnBool)
                {
                    if (keep)
                    {
                        output.Add(new EvalSample(ResultLabels(s, o), swapped ? oh : sh, t, s.DropName));
                    }

                    return;
                }

                value = 0;
            }
            else if (s.H is not null || o.H is not null)
            {
                var (lh, rh) = swapped ? (o, s) : (s, o);
                histogram = HistogramBinary(op, lh, rh);
                if (histogram is not null && op is BinaryOperator.Add or BinaryOperator.Sub && lh.H is { } lhh && rh.H is { } rhh
                    && HintsCollide([lhh, rhh]))
                {
                    Warn(AnnotationText.CounterResetCollision(op == BinaryOperator.Sub ? "subtraction" : "addition"), b);
                }

                if (histogram is null)
                {
                    NoteHistogramOperands(b, lh.H is not null, rh.H is not null);
                }
                else if (lh.H is { UsesCustomBuckets: true } lc && rh.H is { UsesCustomBuckets: true } rc
                    && !lc.CustomValues.AsSpan().SequenceEqual(rc.CustomValues))
                {
                    Info(AnnotationText.MismatchedCustomBuckets(op == BinaryOperator.Sub ? "subtraction" : "addition"), b);
                }

                if (histogram is null || b.ReturnBool)
                {
                    return;
                }

                (value, keep) = (0, true);
            }
            else
            {
                var (l, r) = swapped ? (o.F, s.F) : (s.F, o.F);
                (value, keep) = Apply(op, l, r);
            }

            if (b.ReturnBool)
            {
                value = keep ? 1 : 0;
                keep = true;
            }

            if (!keep)
            {
                return;
            }

            var labels = ResultLabels(s, o);
            var drop = dropForOp || s.DropName;
            if (m.Cardinality != MatchCardinality.OneToOne)
            {
                var key = drop ? labels.Without(LabelSet.MetricName) : labels;
                if (!results.TryAdd(key, true))
                {
                    throw new PromQLEvaluationException("multiple matches for labels: grouping labels must ensure unique matches");
                }
            }

            output.Add(histogram is null ? new EvalSample(labels, value, t, drop) : new EvalSample(labels, histogram, t, drop));
        }

        LabelSet ResultLabels(EvalSample s, EvalSample o)
        {
            var labels = s.Labels;
            if (m.Cardinality == MatchCardinality.OneToOne)
            {
                // on(...) keeps only the matching labels, so the metric name goes even for comparisons and trims.
                var names = m.MatchingLabels;
                labels = m.On
                    ? labels.Filter(n => Contains(names, n))
                    : labels.Filter(n => !Contains(names, n));
            }

            foreach (var name in m.Include)
            {
                labels = labels.With(name, o.Labels.Get(name));
            }

            return labels;
        }
    }
}
