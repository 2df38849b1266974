using System.Runtime.CompilerServices;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>
/// Prometheus's static checks after parsing: operand types of operators, aggregations and calls,
/// argument counts, vector-matching rules and selector sanity. Errors are appended, not thrown.
/// </summary>
internal sealed class PromQLTypeChecker
{
    private readonly string _query;
    private readonly List<ParseError> _errors;

    public PromQLTypeChecker(string query, List<ParseError> errors)
    {
        _query = query;
        _errors = errors;
    }

    public PromQLValueType Check(Expr expr)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expr)
        {
            case AggregateExpr a:
                ExpectType(a.Inner, PromQLValueType.Vector, "aggregation expression");
                if (a.Operator == AggregationOperator.CountValues)
                {
                    ExpectType(a.Parameter!, PromQLValueType.String, "aggregation parameter");
                }
                else if (a.Parameter is not null)
                {
                    ExpectType(a.Parameter, PromQLValueType.Scalar, "aggregation parameter");
                }

                break;
            case BinaryExpr b:
                CheckBinary(b);
                break;
            case Call c:
                CheckCall(c);
                break;
            case ParenExpr p:
                Check(p.Inner);
                break;
            case StepInvariantExpr si:
                Check(si.Inner);
                break;
            case UnaryExpr u:
                var t = Check(u.Operand);
                if (t is not (PromQLValueType.Scalar or PromQLValueType.Vector))
                {
                    Add(u.Range, "unary expression only allowed on expressions of type scalar or instant vector, got " + GoText.Quote(t.Documented()));
                }

                break;
            case SubqueryExpr sq:
                var inner = Check(sq.Inner);
                if (inner != PromQLValueType.Vector)
                {
                    Add(sq.Range, $"subquery is only allowed on instant vector, got {inner.ApiName()} instead");
                }

                break;
            case MatrixSelector ms:
                Check(ms.Selector);
                break;
            case VectorSelector vs:
                CheckSelector(vs);
                break;
        }

        return expr.Type;
    }

    private void CheckSelector(VectorSelector vs)
    {
        if (vs.Name is not null)
        {
            // The last matcher is the name given outside the braces; another name matcher conflicts with it.
            for (var i = 0; i < vs.Matchers.Count - 1; i++)
            {
                var m = vs.Matchers[i];
                if (m.Name == LabelMatcher.MetricNameLabel)
                {
                    Add(vs.Range, $"metric name must not be set twice: {GoText.Quote(vs.Name)} or {GoText.Quote(m.Value)}");
                }
            }

            return;
        }

        // Prevents selecting every series by accident, e.g. through a typo.
        if (vs.Matchers.All(m => m.Matches("")))
        {
            Add(vs.Range, "vector selector must contain at least one non-empty matcher");
        }
    }

    private void CheckBinary(BinaryExpr b)
    {
        var lt = Check(b.Left);
        var rt = Check(b.Right);
        var op = b.Operator;
        var vm = b.Matching;
        if (b.ReturnBool && !op.IsComparison())
        {
            Add(OperatorRange(b), "bool modifier can only be used on comparison operators");
        }

        if (op.IsComparison() && !b.ReturnBool && lt == PromQLValueType.Scalar && rt == PromQLValueType.Scalar)
        {
            Add(OperatorRange(b), "comparisons between scalars must use BOOL modifier");
        }

        if (vm is not null && op.IsSetOperator() && vm.Cardinality == MatchCardinality.OneToOne)
        {
            vm.Cardinality = MatchCardinality.ManyToMany;
        }

        if (vm is { On: true })
        {
            foreach (var label in vm.MatchingLabels.Where(vm.Include.Contains))
            {
                Add(OperatorRange(b), $"label {GoText.Quote(label)} must not occur in ON and GROUP clause at once");
            }
        }

        if (lt is not (PromQLValueType.Scalar or PromQLValueType.Vector))
        {
            Add(b.Left.Range, "binary expression must contain only scalar and instant vector types");
        }

        if (rt is not (PromQLValueType.Scalar or PromQLValueType.Vector))
        {
            Add(b.Right.Range, "binary expression must contain only scalar and instant vector types");
        }

        if ((lt != PromQLValueType.Vector || rt != PromQLValueType.Vector) && vm is not null)
        {
            if (vm.MatchingLabels.Count > 0)
            {
                Add(b.Range, "vector matching only allowed between instant vectors");
            }

            b.Matching = null;
        }
        else if (op.IsSetOperator() && vm is not null)
        {
            if (vm.Cardinality is MatchCardinality.OneToMany or MatchCardinality.ManyToOne)
            {
                Add(b.Range, $"no grouping allowed for {GoText.Quote(op.Symbol())} operation");
            }

            if (vm.Cardinality != MatchCardinality.ManyToMany)
            {
                Add(b.Range, "set operations must always be many-to-many");
            }
        }

        if ((lt == PromQLValueType.Scalar || rt == PromQLValueType.Scalar) && op.IsSetOperator())
        {
            Add(b.Range, $"set operator {GoText.Quote(op.Symbol())} not allowed in binary scalar expression");
        }
    }

    private void CheckCall(Call c)
    {
        var f = c.Function;
        var count = c.Arguments.Count;
        if (f.Variadic == 0)
        {
            if (count != f.ArgumentTypes.Length)
            {
                Add(c.Range, $"expected {f.ArgumentTypes.Length} argument(s) in call to {GoText.Quote(f.Name)}, got {count}");
            }
        }
        else if (count < f.MinArguments)
        {
            Add(c.Range, $"expected at least {f.MinArguments} argument(s) in call to {GoText.Quote(f.Name)}, got {count}");
        }
        else if (f.MaxArguments is { } max && count > max)
        {
            Add(c.Range, $"expected at most {max} argument(s) in call to {GoText.Quote(f.Name)}, got {count}");
        }

        for (var i = 0; i < count; i++)
        {
            if (i >= f.ArgumentTypes.Length && f.Variadic == 0)
            {
                break;
            }

            if (f.Name == "info" && i == 1)
            {
                CheckInfoSelector(c.Arguments[i]);
                continue;
            }

            ExpectType(c.Arguments[i], f.ArgumentType(i), "call to function " + GoText.Quote(f.Name));
        }
    }

    // info()'s second argument is a label selector over info metrics, where matchers such as {data=~".*"} are legitimate.
    private void CheckInfoSelector(Expr arg)
    {
        switch (arg)
        {
            case VectorSelector { Name: not null }:
                Add(arg.Range, "expected label selectors only, got vector selector instead");
                break;
            case VectorSelector:
                break;
            default:
                Add(arg.Range, "expected label selectors only");
                break;
        }
    }

    private void ExpectType(Expr expr, PromQLValueType want, string context)
    {
        var got = Check(expr);
        if (got != want)
        {
            Add(expr.Range, $"expected type {want.Documented()} in {context}, got {got.Documented()}");
        }
    }

    // The operator's span between the operands, trimmed of spaces, for operator-specific messages.
    private PositionRange OperatorRange(BinaryExpr b)
    {
        var start = b.Left.Range.End;
        while (start < _query.Length && char.IsWhiteSpace(_query[start]))
        {
            start++;
        }

        var end = b.Right.Range.Start - 1;
        while (end > start && char.IsWhiteSpace(_query[end]))
        {
            end--;
        }

        return new PositionRange(start, end);
    }

    private void Add(PositionRange range, string message) => _errors.Add(new ParseError(range, message, _query));
}
