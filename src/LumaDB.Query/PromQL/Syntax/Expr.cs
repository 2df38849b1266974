namespace LumaDB.Query.PromQL.Syntax;

/// <summary>Base of every PromQL syntax-tree node.</summary>
public abstract class Expr
{
    /// <summary>Byte range of the node in the query text.</summary>
    public PositionRange Range { get; internal set; }

    /// <summary>The static value type of the expression.</summary>
    public abstract PromQLValueType Type { get; }

    /// <summary>Direct children, in source order (for walkers).</summary>
    public abstract IEnumerable<Expr> Children { get; }

    /// <summary>The canonical text of the expression (see <see cref="PromQLFormatter"/>).</summary>
    public override string ToString() => PromQLFormatter.Format(this);
}

/// <summary>A float literal. Duration literals (<c>5m</c>) become seconds and keep <see cref="IsDuration"/> for printing.</summary>
public sealed class NumberLiteral : Expr
{
    /// <summary>Creates a literal.</summary>
    public NumberLiteral(double value, PositionRange range, bool isDuration = false)
    {
        Value = value;
        Range = range;
        IsDuration = isDuration;
    }

    /// <summary>The value; for durations, in seconds.</summary>
    public double Value { get; internal set; }

    /// <summary>Whether the literal was written as a duration.</summary>
    public bool IsDuration { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.Scalar;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => [];
}

/// <summary>A string literal, already unquoted.</summary>
public sealed class StringLiteral : Expr
{
    /// <summary>Creates a literal.</summary>
    public StringLiteral(string value, PositionRange range, bool isValidUtf8 = true)
    {
        Value = value;
        Range = range;
        IsValidUtf8 = isValidUtf8;
    }

    /// <summary>Creates a literal whose unquoted bytes are not valid UTF-8; they are kept for error messages.</summary>
    public StringLiteral(string value, PositionRange range, byte[] invalidUtf8Bytes)
        : this(value, range, false) => InvalidUtf8Bytes = invalidUtf8Bytes;

    /// <summary>The unquoted value.</summary>
    public string Value { get; }

    /// <summary>
    /// False when byte escapes (<c>"a\xc5z"</c>) formed invalid UTF-8; <see cref="Value"/> then holds U+FFFD
    /// in their place, and label names made from it must be rejected as Prometheus does.
    /// </summary>
    public bool IsValidUtf8 { get; }

    /// <summary>
    /// The unquoted bytes as written when they are not valid UTF-8 (null otherwise), so that errors quote them
    /// byte for byte as Prometheus does (<c>"a\xc5z"</c>).
    /// </summary>
    public byte[]? InvalidUtf8Bytes { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.String;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => [];
}

/// <summary>An expression in parentheses; kept so that the tree prints back as written.</summary>
public sealed class ParenExpr : Expr
{
    /// <summary>Creates the node.</summary>
    public ParenExpr(Expr inner, PositionRange range)
    {
        Inner = inner;
        Range = range;
    }

    /// <summary>The parenthesised expression.</summary>
    public Expr Inner { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => Inner.Type;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => [Inner];
}

/// <summary>Unary minus or plus on a non-literal (a literal operand is folded into its <see cref="NumberLiteral"/>).</summary>
public sealed class UnaryExpr : Expr
{
    /// <summary>Creates the node.</summary>
    public UnaryExpr(bool negate, Expr operand, int start)
    {
        Negate = negate;
        Operand = operand;
        Range = new PositionRange(start, operand.Range.End);
    }

    /// <summary>True for <c>-</c>, false for <c>+</c>.</summary>
    public bool Negate { get; }

    /// <summary>The operand.</summary>
    public Expr Operand { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => Operand.Type;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => [Operand];
}

/// <summary>
/// Marks a subtree whose value does not change across the steps of a range query (selectors with <c>@</c>).
/// The parser never produces it; an evaluator's preprocessing pass may wrap nodes in it.
/// </summary>
public sealed class StepInvariantExpr : Expr
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public StepInvariantExpr(Expr inner)
    {
        Inner = inner;
        Range = inner.Range;
    }

    /// <summary>The step-invariant subtree.</summary>
    public Expr Inner { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => Inner.Type;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => [Inner];
}
