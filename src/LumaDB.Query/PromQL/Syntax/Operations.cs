namespace LumaDB.Query.PromQL.Syntax;

/// <summary>How many series on each side of a binary operation may match each other.</summary>
public enum MatchCardinality
{
    /// <summary>Default for arithmetic and comparisons.</summary>
    OneToOne,

    /// <summary><c>group_left</c></summary>
    ManyToOne,

    /// <summary><c>group_right</c></summary>
    OneToMany,

    /// <summary>Set operators (<c>and</c>, <c>or</c>, <c>unless</c>).</summary>
    ManyToMany,
}

/// <summary>Vector matching of a binary operation between two instant vectors.</summary>
public sealed class VectorMatching
{
    /// <summary>The cardinality.</summary>
    public MatchCardinality Cardinality { get; internal set; }

    /// <summary>Labels of <c>on(...)</c> or <c>ignoring(...)</c>.</summary>
    public IReadOnlyList<string> MatchingLabels { get; internal set; } = [];

    /// <summary>True for <c>on</c>, false for <c>ignoring</c> (or no clause).</summary>
    public bool On { get; internal set; }

    /// <summary>Extra labels copied from the "one" side: <c>group_left(a, b)</c>.</summary>
    public IReadOnlyList<string> Include { get; internal set; } = [];

    /// <summary>Fill value for a missing left-hand series (<c>fill()</c>/<c>fill_left()</c>; feature-flagged in Prometheus).</summary>
    public double? FillLeft { get; internal set; }

    /// <summary>Fill value for a missing right-hand series (<c>fill()</c>/<c>fill_right()</c>; feature-flagged in Prometheus).</summary>
    public double? FillRight { get; internal set; }
}

/// <summary>A binary operation.</summary>
public sealed class BinaryExpr : Expr
{
    /// <summary>Creates the node.</summary>
    public BinaryExpr(BinaryOperator op, Expr left, Expr right, bool returnBool, VectorMatching? matching)
    {
        Operator = op;
        Left = left;
        Right = right;
        ReturnBool = returnBool;
        Matching = matching;
        Range = PositionRange.Merge(left.Range, right.Range);
    }

    /// <summary>The operator.</summary>
    public BinaryOperator Operator { get; }

    /// <summary>Left operand.</summary>
    public Expr Left { get; }

    /// <summary>Right operand.</summary>
    public Expr Right { get; }

    /// <summary>The <c>bool</c> modifier of comparisons.</summary>
    public bool ReturnBool { get; }

    /// <summary>Vector matching; null unless both sides are instant vectors (cleared by the type check otherwise).</summary>
    public VectorMatching? Matching { get; internal set; }

    /// <inheritdoc/>
    public override PromQLValueType Type =>
        Left.Type == PromQLValueType.Scalar && Right.Type == PromQLValueType.Scalar ? PromQLValueType.Scalar : PromQLValueType.Vector;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => [Left, Right];
}

/// <summary>An aggregation: <c>sum by (job) (x)</c>, <c>topk(3, x)</c>.</summary>
public sealed class AggregateExpr : Expr
{
    /// <summary>Creates the node.</summary>
    public AggregateExpr(AggregationOperator op, Expr? parameter, Expr inner, IReadOnlyList<string> grouping, bool without, PositionRange range)
    {
        Operator = op;
        Parameter = parameter;
        Inner = inner;
        Grouping = grouping;
        Without = without;
        Range = range;
    }

    /// <summary>The operator.</summary>
    public AggregationOperator Operator { get; }

    /// <summary>The leading parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio.</summary>
    public Expr? Parameter { get; }

    /// <summary>The aggregated expression.</summary>
    public Expr Inner { get; }

    /// <summary>The <c>by</c> or <c>without</c> labels.</summary>
    public IReadOnlyList<string> Grouping { get; }

    /// <summary>True for <c>without</c>.</summary>
    public bool Without { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.Vector;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => Parameter is null ? [Inner] : [Parameter, Inner];
}

/// <summary>A function call.</summary>
public sealed class Call : Expr
{
    /// <summary>Creates the node.</summary>
    public Call(FunctionInfo function, IReadOnlyList<Expr> arguments, PositionRange range)
    {
        Function = function;
        Arguments = arguments;
        Range = range;
    }

    /// <summary>The function, from <see cref="PromQLFunctions"/>.</summary>
    public FunctionInfo Function { get; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<Expr> Arguments { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => Function.ReturnType;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => Arguments;
}
