namespace LumaDB.Query.PromQL.Syntax;

/// <summary>Which query bound an <c>@ start()</c> / <c>@ end()</c> modifier refers to.</summary>
public enum AtBound
{
    /// <summary>No preprocessor; see the explicit timestamp, if any.</summary>
    None,

    /// <summary><c>@ start()</c></summary>
    Start,

    /// <summary><c>@ end()</c></summary>
    End,
}

/// <summary>An instant vector selector: <c>name{label="value"}</c> plus offset and <c>@</c> modifiers.</summary>
public sealed class VectorSelector : Expr
{
    /// <summary>Creates a selector.</summary>
    public VectorSelector(string? name, IReadOnlyList<LabelMatcher> matchers, PositionRange range)
    {
        Name = name;
        Matchers = matchers;
        Range = range;
    }

    /// <summary>The metric name if one was given (outside the braces or as <c>__name__="x"</c>).</summary>
    public string? Name { get; internal set; }

    /// <summary>All matchers, including the <c>__name__</c> equality matcher for the metric name.</summary>
    public IReadOnlyList<LabelMatcher> Matchers { get; internal set; }

    /// <summary>The offset as written (negative offsets look forward in time).</summary>
    public TimeSpan Offset { get; internal set; }

    /// <summary>A computed offset (<c>offset step()*2</c>); when set, <see cref="Offset"/> is zero.</summary>
    public DurationExpr? OffsetExpr { get; internal set; }

    /// <summary>The <c>@</c> timestamp in milliseconds since the epoch.</summary>
    public long? Timestamp { get; internal set; }

    /// <summary><c>@ start()</c> / <c>@ end()</c>.</summary>
    public AtBound At { get; internal set; }

    /// <summary>The <c>anchored</c> range modifier (extended range selectors, feature-flagged in Prometheus).</summary>
    public bool Anchored { get; internal set; }

    /// <summary>The <c>smoothed</c> range modifier (extended range selectors, feature-flagged in Prometheus).</summary>
    public bool Smoothed { get; internal set; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.Vector;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => OffsetExpr is null ? [] : [OffsetExpr];
}

/// <summary>A range vector selector: <c>selector[5m]</c>.</summary>
public sealed class MatrixSelector : Expr
{
    /// <summary>Creates the node.</summary>
    public MatrixSelector(VectorSelector selector, TimeSpan range, DurationExpr? rangeExpr, int end)
    {
        Selector = selector;
        RangeDuration = range;
        RangeExpr = rangeExpr;
        Range = new PositionRange(selector.Range.Start, end);
    }

    /// <summary>The selector; its offset and <c>@</c> modifiers apply to the whole range.</summary>
    public VectorSelector Selector { get; }

    /// <summary>The range length as written.</summary>
    public TimeSpan RangeDuration { get; }

    /// <summary>A computed range (<c>[step()*2]</c>); when set, <see cref="RangeDuration"/> is zero.</summary>
    public DurationExpr? RangeExpr { get; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.Matrix;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children => RangeExpr is null ? [Selector] : [Selector, RangeExpr];
}

/// <summary>A subquery: <c>expr[30m:1m]</c>; a zero step means "the default resolution".</summary>
public sealed class SubqueryExpr : Expr
{
    /// <summary>Creates the node.</summary>
    public SubqueryExpr(Expr inner, TimeSpan range, DurationExpr? rangeExpr, TimeSpan step, DurationExpr? stepExpr, int end)
    {
        Inner = inner;
        RangeDuration = range;
        RangeExpr = rangeExpr;
        Step = step;
        StepExpr = stepExpr;
        Range = new PositionRange(inner.Range.Start, end);
    }

    /// <summary>The instant-vector expression evaluated at each step.</summary>
    public Expr Inner { get; }

    /// <summary>The range as written.</summary>
    public TimeSpan RangeDuration { get; }

    /// <summary>A computed range, when the range is a duration expression.</summary>
    public DurationExpr? RangeExpr { get; }

    /// <summary>The step as written; zero when omitted (<c>[30m:]</c>).</summary>
    public TimeSpan Step { get; }

    /// <summary>A computed step, when the step is a duration expression.</summary>
    public DurationExpr? StepExpr { get; }

    /// <summary>The offset as written.</summary>
    public TimeSpan Offset { get; internal set; }

    /// <summary>A computed offset.</summary>
    public DurationExpr? OffsetExpr { get; internal set; }

    /// <summary>The <c>@</c> timestamp in milliseconds since the epoch.</summary>
    public long? Timestamp { get; internal set; }

    /// <summary><c>@ start()</c> / <c>@ end()</c>.</summary>
    public AtBound At { get; internal set; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.Matrix;

    /// <inheritdoc/>
    public override IEnumerable<Expr> Children
    {
        get
        {
            yield return Inner;
            if (RangeExpr is not null)
            {
                yield return RangeExpr;
            }

            if (StepExpr is not null)
            {
                yield return StepExpr;
            }

            if (OffsetExpr is not null)
            {
                yield return OffsetExpr;
            }
        }
    }
}
