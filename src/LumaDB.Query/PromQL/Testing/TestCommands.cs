namespace LumaDB.Query.PromQL.Testing;

/// <summary>One command of a PromQL test script; <see cref="Line"/> is 1-based.</summary>
public abstract record TestCommand(int Line);

/// <summary><c>clear</c>: drop all loaded data.</summary>
public sealed record ClearCommand(int Line) : TestCommand(Line);

/// <summary>
/// <c>load &lt;interval&gt;</c> or <c>load_with_nhcb &lt;interval&gt;</c>: sample n of each series is at
/// <c>n * Interval</c>. With <see cref="WithNhcb"/>, classic histograms are also stored as custom-bucket native histograms.
/// </summary>
public sealed record LoadCommand(int Line, TimeSpan Interval, bool WithNhcb, IReadOnlyList<SeriesDescription> Series) : TestCommand(Line);

/// <summary>Whether an eval runs an instant or a range query.</summary>
public enum EvalKind
{
    /// <summary><c>eval instant at t expr</c></summary>
    Instant,

    /// <summary><c>eval range from a to b step s expr</c></summary>
    Range,
}

/// <summary>What a failing query must report: any error, an exact message, or a message matching a regex.</summary>
public sealed record FailExpectation(string? Message, string? Regex);

/// <summary>An <c>expect warn|info</c> line: any annotation (both null), an exact text, or a regex.</summary>
public sealed record AnnotationExpectation(string? Message, string? Regex);

/// <summary><c>expect range vector from a to b step s</c>: an instant query whose result is a range vector.</summary>
public sealed record RangeVectorExpectation(TimeSpan Start, TimeSpan End, TimeSpan Step);

/// <summary>An <c>eval</c> command (any variant) with its expectations and expected result.</summary>
public sealed record EvalCommand(int Line, EvalKind Kind, string Expression) : TestCommand(Line)
{
    /// <summary>The command word as written: eval, eval_fail, eval_warn, eval_info, eval_ordered.</summary>
    public string Variant { get; init; } = "eval";

    /// <summary>Evaluation time of an instant query.</summary>
    public TimeSpan At { get; init; }

    /// <summary>Start of a range query.</summary>
    public TimeSpan Start { get; init; }

    /// <summary>End of a range query.</summary>
    public TimeSpan End { get; init; }

    /// <summary>Step of a range query.</summary>
    public TimeSpan Step { get; init; }

    /// <summary>Set when the query must fail.</summary>
    public FailExpectation? Fail { get; init; }

    /// <summary>Expected warnings; empty with <see cref="ExpectWarnings"/> false means "not checked".</summary>
    public IReadOnlyList<AnnotationExpectation> Warnings { get; init; } = [];

    /// <summary>Expected infos.</summary>
    public IReadOnlyList<AnnotationExpectation> Infos { get; init; } = [];

    /// <summary>At least one warning is required (<c>expect warn</c> or <c>eval_warn</c>).</summary>
    public bool ExpectWarnings => Warnings.Count > 0;

    /// <summary>At least one info is required.</summary>
    public bool ExpectInfos => Infos.Count > 0;

    /// <summary><c>expect no_warn</c></summary>
    public bool NoWarnings { get; init; }

    /// <summary><c>expect no_info</c></summary>
    public bool NoInfos { get; init; }

    /// <summary><c>expect ordered</c> or <c>eval_ordered</c>: result order matters.</summary>
    public bool Ordered { get; init; }

    /// <summary><c>expect range vector ...</c></summary>
    public RangeVectorExpectation? RangeVector { get; init; }

    /// <summary><c>expect string "..."</c>, unquoted.</summary>
    public string? ExpectedString { get; init; }

    /// <summary>A bare number line: the scalar result.</summary>
    public double? ExpectedScalar { get; init; }

    /// <summary>Expected series with their (expanded) values; empty means an empty result unless a scalar or string is expected.</summary>
    public IReadOnlyList<SeriesDescription> ExpectedSeries { get; init; } = [];

    /// <summary>Line of each expected series, parallel to <see cref="ExpectedSeries"/>.</summary>
    public IReadOnlyList<int> ExpectedSeriesLines { get; init; } = [];
}
