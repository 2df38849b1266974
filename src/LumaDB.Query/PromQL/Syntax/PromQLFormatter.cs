using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace LumaDB.Query.PromQL.Syntax;

/// <summary>
/// Prints an expression in Prometheus's canonical single-line form, the one its <c>String()</c> methods
/// produce: <c>sum by (job) (rate(http_requests_total{job="api"}[5m]))</c>. Parsing the output yields
/// an equivalent tree.
/// </summary>
public static partial class PromQLFormatter
{
    /// <summary>Formats <paramref name="expr"/>; a tree too deep for the stack throws <see cref="InsufficientExecutionStackException"/>.</summary>
    public static string Format(Expr expr)
    {
        var sb = new StringBuilder();
        Write(sb, expr);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, Expr expr)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expr)
        {
            case NumberLiteral n:
                sb.Append(FormatNumber(n));
                break;
            case StringLiteral s:
                sb.Append(GoText.Quote(s.Value));
                break;
            case ParenExpr p:
                sb.Append('(');
                Write(sb, p.Inner);
                sb.Append(')');
                break;
            case UnaryExpr u:
                sb.Append(u.Negate ? '-' : '+');
                Write(sb, u.Operand);
                break;
            case StepInvariantExpr si:
                Write(sb, si.Inner);
                break;
            case VectorSelector vs:
                WriteSelector(sb, vs);
                WriteRangeModifiers(sb, vs);
                WriteTimeModifiers(sb, vs.Timestamp, vs.At, vs.Offset, vs.OffsetExpr);
                break;
            case MatrixSelector ms:
                WriteSelector(sb, ms.Selector);
                sb.Append('[');
                WriteDuration(sb, ms.RangeDuration, ms.RangeExpr);
                sb.Append(']');
                WriteRangeModifiers(sb, ms.Selector);
                WriteTimeModifiers(sb, ms.Selector.Timestamp, ms.Selector.At, ms.Selector.Offset, ms.Selector.OffsetExpr);
                break;
            case SubqueryExpr sq:
                Write(sb, sq.Inner);
                sb.Append('[');
                WriteDuration(sb, sq.RangeDuration, sq.RangeExpr);
                sb.Append(':');
                if (sq.StepExpr is not null || sq.Step != TimeSpan.Zero)
                {
                    WriteDuration(sb, sq.Step, sq.StepExpr);
                }

                sb.Append(']');
                WriteTimeModifiers(sb, sq.Timestamp, sq.At, sq.Offset, sq.OffsetExpr);
                break;
            case BinaryExpr b:
                WriteBinary(sb, b);
                break;
            case AggregateExpr a:
                WriteAggregate(sb, a);
                break;
            case Call c:
                sb.Append(c.Function.Name).Append('(');
                for (var i = 0; i < c.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    Write(sb, c.Arguments[i]);
                }

                sb.Append(')');
                break;
            case DurationExpr d:
                WriteDurationExpr(sb, d);
                break;
            default:
                throw new ArgumentException("unknown node type " + expr.GetType().Name, nameof(expr));
        }
    }

    private static string FormatNumber(NumberLiteral n)
    {
        if (!n.IsDuration || double.IsNaN(n.Value) || double.IsInfinity(n.Value))
        {
            return GoText.FormatFloat(n.Value);
        }

        // A duration that is not a whole number of milliseconds cannot be written as a duration.
        var ms = n.Value * 1000;
        if (ms != Math.Floor(ms))
        {
            return GoText.FormatFloat(n.Value);
        }

        return PromDuration.Format(TimeSpan.FromMilliseconds(ms));
    }

    private static void WriteSelector(StringBuilder sb, VectorSelector vs)
    {
        // As Prometheus prints it: the name outside the braces, the other matchers sorted by their text.
        var others = new List<string>(vs.Matchers.Count);
        foreach (var m in vs.Matchers)
        {
            if (vs.Name is { Length: > 0 } && m.Name == LabelMatcher.MetricNameLabel && m.Type == LabelMatchType.Equal && m.Value == vs.Name)
            {
                continue;
            }

            others.Add(m.ToString());
        }

        others.Sort(StringComparer.Ordinal);
        sb.Append(vs.Name);
        if (others.Count > 0 || vs.Name is null)
        {
            sb.Append('{').AppendJoin(',', others).Append('}');
        }
    }

    private static void WriteRangeModifiers(StringBuilder sb, VectorSelector vs)
    {
        if (vs.Anchored)
        {
            sb.Append(" anchored");
        }

        if (vs.Smoothed)
        {
            sb.Append(" smoothed");
        }
    }

    private static void WriteTimeModifiers(StringBuilder sb, long? timestamp, AtBound at, TimeSpan offset, DurationExpr? offsetExpr)
    {
        if (timestamp is { } ts)
        {
            sb.Append(" @ ").Append((ts / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
        }
        else if (at != AtBound.None)
        {
            sb.Append(at == AtBound.Start ? " @ start()" : " @ end()");
        }

        if (offsetExpr is not null)
        {
            sb.Append(" offset ");
            WriteDurationExpr(sb, offsetExpr);
        }
        else if (offset > TimeSpan.Zero)
        {
            sb.Append(" offset ").Append(PromDuration.Format(offset));
        }
        else if (offset < TimeSpan.Zero)
        {
            sb.Append(" offset -").Append(PromDuration.Format(-offset));
        }
    }

    private static void WriteDuration(StringBuilder sb, TimeSpan duration, DurationExpr? expr)
    {
        if (expr is not null)
        {
            WriteDurationExpr(sb, expr);
        }
        else
        {
            sb.Append(PromDuration.Format(duration));
        }
    }

    private static void WriteDurationExpr(StringBuilder sb, DurationExpr d)
    {
        if (d.Wrapped)
        {
            sb.Append('(');
        }

        switch (d.Operator)
        {
            case DurationOperator.Step:
                sb.Append("step()");
                break;
            case DurationOperator.Range:
                sb.Append("range()");
                break;
            case DurationOperator.MinOf or DurationOperator.MaxOf:
                sb.Append(d.Operator == DurationOperator.MinOf ? "min_of(" : "max_of(");
                Write(sb, d.Left!);
                sb.Append(", ");
                Write(sb, d.Right!);
                sb.Append(')');
                break;
            default:
                if (d.Left is null)
                {
                    sb.Append(d.Operator == DurationOperator.Sub ? '-' : '+');
                    Write(sb, d.Right!);
                    break;
                }

                Write(sb, d.Left);
                sb.Append(' ').Append(DurationSymbol(d.Operator)).Append(' ');
                Write(sb, d.Right!);
                break;
        }

        if (d.Wrapped)
        {
            sb.Append(')');
        }
    }

    private static string DurationSymbol(DurationOperator op) => op switch
    {
        DurationOperator.Add => "+",
        DurationOperator.Sub => "-",
        DurationOperator.Mul => "*",
        DurationOperator.Div => "/",
        DurationOperator.Mod => "%",
        _ => "^",
    };

    private static void WriteBinary(StringBuilder sb, BinaryExpr b)
    {
        Write(sb, b.Left);
        sb.Append(' ').Append(b.Operator.Symbol());
        if (b.ReturnBool)
        {
            sb.Append(" bool");
        }

        sb.Append(MatchingText(b)).Append(' ');
        Write(sb, b.Right);
    }

    // " on (a) group_left (b) fill (0)": the vector-matching clause, with its leading space.
    private static string MatchingText(BinaryExpr b)
    {
        var sb = new StringBuilder();
        var vm = b.Matching;
        if (vm is not null && (vm.MatchingLabels.Count > 0 || vm.On))
        {
            sb.Append(vm.On ? " on (" : " ignoring (");
            WriteLabels(sb, vm.MatchingLabels);
            sb.Append(')');
            if (vm.Cardinality is MatchCardinality.ManyToOne or MatchCardinality.OneToMany)
            {
                sb.Append(vm.Cardinality == MatchCardinality.ManyToOne ? " group_left (" : " group_right (");
                WriteLabels(sb, vm.Include);
                sb.Append(')');
            }
        }

        if (vm is not null)
        {
            if (vm.FillLeft is { } l && vm.FillRight is { } r && l.Equals(r))
            {
                sb.Append(" fill (").Append(GoText.FormatFloat(l)).Append(')');
            }
            else
            {
                if (vm.FillLeft is { } fl)
                {
                    sb.Append(" fill_left (").Append(GoText.FormatFloat(fl)).Append(')');
                }

                if (vm.FillRight is { } fr)
                {
                    sb.Append(" fill_right (").Append(GoText.FormatFloat(fr)).Append(')');
                }
            }
        }

        return sb.ToString();
    }

    private static void WriteAggregate(StringBuilder sb, AggregateExpr a)
    {
        sb.Append(AggregationHead(a)).Append('(');
        if (a.Parameter is not null)
        {
            Write(sb, a.Parameter);
            sb.Append(", ");
        }

        Write(sb, a.Inner);
        sb.Append(')');
    }

    // "sum by (job) ": the operator and grouping, with the trailing space Prometheus prints before "(".
    private static string AggregationHead(AggregateExpr a)
    {
        var sb = new StringBuilder(a.Operator.Keyword());
        if (a.Without || a.Grouping.Count > 0)
        {
            sb.Append(a.Without ? " without (" : " by (");
            WriteLabels(sb, a.Grouping);
            sb.Append(") ");
        }

        return sb.ToString();
    }

    private static void WriteLabels(StringBuilder sb, IReadOnlyList<string> labels)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            // Grouping labels are left bare when they would be valid metric names (colons included), as Prometheus prints them.
            sb.Append(GoText.IsLegacyMetricName(labels[i]) ? labels[i] : GoText.Quote(labels[i]));
        }
    }
}
