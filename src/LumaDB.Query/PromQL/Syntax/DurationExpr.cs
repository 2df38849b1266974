namespace LumaDB.Query.PromQL.Syntax;

/// <summary>Operators of duration expressions.</summary>
public enum DurationOperator
{
    /// <summary><c>a + b</c></summary>
    Add,
    /// <summary><c>a - b</c>, or negation when <see cref="DurationExpr.Left"/> is null.</summary>
    Sub,
    /// <summary><c>a * b</c></summary>
    Mul,
    /// <summary><c>a / b</c></summary>
    Div,
    /// <summary><c>a % b</c></summary>
    Mod,
    /// <summary><c>a ^ b</c></summary>
    Pow,
    /// <summary><c>step()</c>: the query step.</summary>
    Step,
    /// <summary><c>range()</c>: end minus start of the query.</summary>
    Range,
    /// <summary><c>min_of(a, b)</c></summary>
    MinOf,
    /// <summary><c>max_of(a, b)</c></summary>
    MaxOf,
}

/// <summary>
/// Arithmetic on durations in ranges, subquery steps and offsets (<c>x[5m+1m]</c>, <c>offset step()*2</c>).
/// Values are seconds; operands are <see cref="NumberLiteral"/>s or nested duration expressions.
/// Prometheus gates this behind <c>--enable-feature=promql-duration-expr</c>.
/// </summary>
public sealed class DurationExpr : Expr
{
    /// <summary>Creates the node.</summary>
    public DurationExpr(DurationOperator op, Expr? left, Expr? right, PositionRange range)
    {
        Operator = op;
        Left = left;
        Right = right;
        Range = range;
    }

    /// <summary>The operator.</summary>
    public DurationOperator Operator { get; }

    /// <summary>Left operand; null for negation, step() and range().</summary>
    public Expr? Left { get; }

    /// <summary>Right operand; null for step() and range().</summary>
    public Expr? Right { get; }

    /// <summary>Whether the expression was written in parentheses (kept for printing).</summary>
    public bool Wrapped { get; internal set; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.Scalar;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children
    {
        get
        {
            if (Left is not null)
            {
                yield return Left;
            }

            if (Right is not null)
            {
                yield return Right;
            }
        }
    }

    /// <summary>
    /// Evaluates the expression to seconds, given the query's step and range in seconds.
    /// Throws <see cref="InvalidOperationException"/> on non-literal operands.
    /// </summary>
    public static double Evaluate(Expr expr, double stepSeconds, double rangeSeconds)
    {
        return expr switch
        {
            NumberLiteral n => n.Value,
            DurationExpr d => d.Operator switch
            {
                DurationOperator.Step => stepSeconds,
                DurationOperator.Range => rangeSeconds,
                DurationOperator.Sub when d.Left is null => -Evaluate(d.Right!, stepSeconds, rangeSeconds),
                DurationOperator.Add when d.Left is null => Evaluate(d.Right!, stepSeconds, rangeSeconds),
                _ => Apply(d.Operator, Evaluate(d.Left!, stepSeconds, rangeSeconds), Evaluate(d.Right!, stepSeconds, rangeSeconds)),
            },
            _ => throw new InvalidOperationException("not a duration expression"),
        };
    }

    private static double Apply(DurationOperator op, double a, double b) => op switch
    {
        DurationOperator.Add => a + b,
        DurationOperator.Sub => a - b,
        DurationOperator.Mul => a * b,
        DurationOperator.Div => a / b,
        DurationOperator.Mod => a % b,
        DurationOperator.Pow => Math.Pow(a, b),
        DurationOperator.MinOf => Math.Min(a, b),
        DurationOperator.MaxOf => Math.Max(a, b),
        _ => throw new InvalidOperationException("not a binary duration operator"),
    };
}
