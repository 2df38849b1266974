using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Function calls over instant vectors and scalars.</summary>
internal sealed partial class Evaluator
{
    private EvalValue EvalCall(Call c, long t)
    {
        var name = c.Function.Name;
        var args = c.Arguments;
        switch (name)
        {
            case "time":
                return new ScalarValue(t / 1000.0);
            case "pi":
                return new ScalarValue(Math.PI);
            case "start":
                return new ScalarValue(_start / 1000.0);
            case "end":
                return new ScalarValue(_end / 1000.0);
            case "step":
                return new ScalarValue(StepSeconds);
            case "range":
                return new ScalarValue(RangeSeconds);
            case "min_of" or "max_of":
                {
                    var a = Scalar(args[0], t);
                    var b = Scalar(args[1], t);
                    return new ScalarValue(name == "min_of" ? Math.Min(a, b) : Math.Max(a, b));
                }

            case "vector":
                return new VectorValue([new EvalSample(LabelSet.Empty, Scalar(args[0], t), t)]);
            case "scalar":
                {
                    var v = Vector(args[0], t);
                    // Histogram samples do not count: the one float sample, if there is exactly one, is the value.
                    var value = double.NaN;
                    var floats = 0;
                    foreach (var s in v)
                    {
                        if (s.H is null)
                        {
                            value = s.F;
                            floats++;
                        }
                    }

                    return new ScalarValue(floats == 1 ? value : double.NaN);
                }

            case "timestamp":
                {
                    var v = Vector(args[0], t);
                    return Map(v, t, s => s.T / 1000.0, histograms: true);
                }

            case "absent":
                return Vector(args[0], t).Count > 0 ? new VectorValue([]) : AbsentResult(args[0], t);
            case "absent_over_time":
                return ((MatrixValue)Eval(args[0], t)).Series.Count > 0 ? new VectorValue([]) : AbsentResult(args[0], t);
            case "sort" or "sort_desc":
                {
                    WarnSortInRangeQuery(c);
                    var v = Vector(args[0], t);
                    var desc = name == "sort_desc";
                    v.RemoveAll(static s => s.H is not null);
                    v.Sort((x, y) => CompareForRank(x.F, y.F, desc));
                    return new VectorValue(v);
                }

            case "sort_by_label" or "sort_by_label_desc":
                {
                    WarnSortInRangeQuery(c);
                    var v = Vector(args[0], t);
                    var labels = new string[args.Count - 1];
                    for (var i = 1; i < args.Count; i++)
                    {
                        labels[i - 1] = ((StringLiteral)Unwrap(args[i])).Value;
                    }

                    var sign = name == "sort_by_label" ? 1 : -1;
                    v.Sort((x, y) =>
                    {
                        foreach (var l in labels)
                        {
                            var cmp = NaturalCompare(x.Labels.Get(l), y.Labels.Get(l));
                            if (cmp != 0)
                            {
                                return sign * cmp;
                            }
                        }

                        return sign * LabelSet.Compare(x.Labels, y.Labels);
                    });
                    return new VectorValue(v);
                }

            case "clamp":
                {
                    var v = Vector(args[0], t);
                    var min = Scalar(args[1], t);
                    var max = Scalar(args[2], t);
                    return max < min ? new VectorValue([]) : Map(v, t, s => Math.Max(min, Math.Min(max, s.F)));
                }

            case "clamp_min":
                {
                    var v = Vector(args[0], t);
                    var min = Scalar(args[1], t);
                    return Map(v, t, s => Math.Max(min, s.F));
                }

            case "clamp_max":
                {
                    var v = Vector(args[0], t);
                    var max = Scalar(args[1], t);
                    return Map(v, t, s => Math.Min(max, s.F));
                }

            case "round":
                {
                    var v = Vector(args[0], t);
                    var to = args.Count > 1 ? Scalar(args[1], t) : 1;
                    var inverse = 1.0 / to;
                    return Map(v, t, s => Math.Floor((s.F * inverse) + 0.5) / inverse);
                }

            case "label_replace":
                return LabelReplace(args, t);
            case "label_join":
                return LabelJoin(args, t);
            case "histogram_count" or "histogram_sum" or "histogram_avg" or "histogram_stddev" or "histogram_stdvar":
                return HistogramScalarFunction(name, Vector(args[0], t), t);
            case "histogram_quantile":
                {
                    var q = Scalar(args[0], t);
                    CheckQuantile(q, args[0]);
                    return HistogramQuantile(q, Vector(args[1], t), t, args[1]);
                }

            case "info":
                return EvalInfo(c, t);
            case "histogram_quantiles":
                return HistogramQuantiles(args, t);
            case "histogram_fraction":
                return HistogramFraction(args, t);
            case "minute" or "hour" or "day_of_week" or "day_of_month" or "day_of_year" or "days_in_month" or "month" or "year":
                {
                    var v = args.Count == 0 ? [new EvalSample(LabelSet.Empty, t / 1000.0, t)] : Vector(args[0], t);
                    return Map(v, t, s => DatePart(name, s.F));
                }
        }

        if (MathFunction(name) is { } math)
        {
            return Map(Vector(args[0], t), t, s => math(s.F));
        }

        return EvalRangeFunction(c, t);
    }

    private static Expr Unwrap(Expr e)
    {
        while (e is ParenExpr p)
        {
            e = p.Inner;
        }

        return e;
    }

    private double Scalar(Expr e, long t) => Eval(e, t) switch
    {
        ScalarValue s => s.Value,
        _ => throw new PromQLEvaluationException("expected scalar"),
    };

    private List<EvalSample> Vector(Expr e, long t) => ((VectorValue)Eval(e, t)).Samples;

    private static VectorValue Map(List<EvalSample> v, long t, Func<EvalSample, double> f, bool histograms = false)
    {
        var result = new List<EvalSample>(v.Count);
        foreach (var s in v)
        {
            // Float functions leave native histogram samples out.
            if (s.H is not null && !histograms)
            {
                continue;
            }

            result.Add(new EvalSample(s.Labels, f(s), t, true));
        }

        return new VectorValue(result);
    }

    private static Func<double, double>? MathFunction(string name) => name switch
    {
        "abs" => Math.Abs,
        "ceil" => Math.Ceiling,
        "floor" => Math.Floor,
        "exp" => Math.Exp,
        "ln" => Math.Log,
        "log2" => Math.Log2,
        "log10" => Math.Log10,
        "sqrt" => Math.Sqrt,
        "sgn" => x => double.IsNaN(x) ? x : Math.Sign(x),
        "deg" => x => x * 180 / Math.PI,
        "rad" => x => x * Math.PI / 180,
        "acos" => Math.Acos,
        "acosh" => Math.Acosh,
        "asin" => Math.Asin,
        "asinh" => Math.Asinh,
        "atan" => Math.Atan,
        "atanh" => Math.Atanh,
        "cos" => Math.Cos,
        "cosh" => Math.Cosh,
        "sin" => Math.Sin,
        "sinh" => Math.Sinh,
        "tan" => Math.Tan,
        "tanh" => Math.Tanh,
        _ => null,
    };

    private static double DatePart(string name, double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            return double.NaN;
        }

        var d = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(seconds) * 1000).UtcDateTime;
        return name switch
        {
            "minute" => d.Minute,
            "hour" => d.Hour,
            "day_of_week" => (int)d.DayOfWeek,
            "day_of_month" => d.Day,
            "day_of_year" => d.DayOfYear,
            "days_in_month" => DateTime.DaysInMonth(d.Year, d.Month),
            "month" => d.Month,
            _ => d.Year,
        };
    }

    private static VectorValue AbsentResult(Expr arg, long t)
    {
        var e = Unwrap(arg);
        if (e is MatrixSelector ms)
        {
            e = ms.Selector;
        }
        else if (e is SubqueryExpr)
        {
            return new VectorValue([new EvalSample(LabelSet.Empty, 1, t)]);
        }

        var labels = new List<Label>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicated = new HashSet<string>(StringComparer.Ordinal);
        if (e is VectorSelector vs)
        {
            foreach (var m in vs.Matchers)
            {
                if (m.Name == LabelSet.MetricName)
                {
                    continue;
                }

                if (!seen.Add(m.Name))
                {
                    duplicated.Add(m.Name);
                }
                else if (m.Type == LabelMatchType.Equal)
                {
                    labels.Add(new Label(m.Name, m.Value));
                }
            }
        }

        labels.RemoveAll(l => duplicated.Contains(l.Name));
        return new VectorValue([new EvalSample(LabelSet.Create(labels), 1, t)]);
    }

    private VectorValue LabelReplace(IReadOnlyList<Expr> args, long t)
    {
        var v = Vector(args[0], t);
        var dst = ((StringLiteral)Unwrap(args[1])).Value;
        var replacement = ((StringLiteral)Unwrap(args[2])).Value;
        var src = ((StringLiteral)Unwrap(args[3])).Value;
        var pattern = ((StringLiteral)Unwrap(args[4])).Value;
        System.Text.RegularExpressions.Regex regex;
        try
        {
            regex = PromRegex.CompileAnchored(pattern);
        }
        catch (ArgumentException)
        {
            throw new PromQLEvaluationException("invalid regular expression in label_replace(): " + pattern);
        }

        if (dst.Length == 0 || !GoText.IsLegacyLabelName(dst) && dst.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw new PromQLEvaluationException("invalid destination label name in label_replace(): " + dst);
        }

        var result = new List<EvalSample>(v.Count);
        foreach (var s in v)
        {
            var match = regex.Match(s.Labels.Get(src));
            if (!match.Success)
            {
                result.Add(s with { T = t });
                continue;
            }

            var value = match.Result(replacement);
            var labels = s.Labels.With(dst, value);
            result.Add(new EvalSample(labels, s.F, t, s.DropName && dst != LabelSet.MetricName) { H = s.H });
        }

        return new VectorValue(result);
    }

    private VectorValue LabelJoin(IReadOnlyList<Expr> args, long t)
    {
        var v = Vector(args[0], t);
        var dst = ((StringLiteral)Unwrap(args[1])).Value;
        var sep = ((StringLiteral)Unwrap(args[2])).Value;
        if (dst.Length == 0)
        {
            throw new PromQLEvaluationException("invalid destination label name in label_join(): " + dst);
        }

        var sources = new string[args.Count - 3];
        for (var i = 3; i < args.Count; i++)
        {
            sources[i - 3] = ((StringLiteral)Unwrap(args[i])).Value;
        }

        var result = new List<EvalSample>(v.Count);
        var parts = new string[sources.Length];
        foreach (var s in v)
        {
            for (var i = 0; i < sources.Length; i++)
            {
                parts[i] = s.Labels.Get(sources[i]);
            }

            var labels = s.Labels.With(dst, string.Join(sep, parts));
            result.Add(new EvalSample(labels, s.F, t, s.DropName && dst != LabelSet.MetricName) { H = s.H });
        }

        return new VectorValue(result);
    }

    // Orders strings with embedded numbers numerically ("a2" before "a10"), as sort_by_label does.
    private static int NaturalCompare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                var si = i;
                var sj = j;
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }

                var na = a[si..i].TrimStart('0');
                var nb = b[sj..j].TrimStart('0');
                var c = na.Length != nb.Length ? na.Length.CompareTo(nb.Length) : string.CompareOrdinal(na, nb);
                if (c != 0)
                {
                    return c;
                }

                continue;
            }

            if (a[i] != b[j])
            {
                return a[i].CompareTo(b[j]);
            }

            i++;
            j++;
        }

        return (a.Length - i).CompareTo(b.Length - j);
    }
}
