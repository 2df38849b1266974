namespace LumaDB.Query.PromQL.Engine;

/// <summary>Settings of the PromQL evaluator; the defaults are Prometheus's.</summary>
public sealed class PromQLEngineOptions
{
    /// <summary>How far back an instant selector looks for the newest sample (ms).</summary>
    public long LookbackDeltaMs { get; init; } = 5 * 60 * 1000;

    /// <summary>Resolution of subqueries written without a step (<c>[30m:]</c>), in ms.</summary>
    public long DefaultSubqueryStepMs { get; init; } = 60 * 1000;

    /// <summary>Most samples a query may hold in memory at once (Prometheus's <c>--query.max-samples</c>).</summary>
    public long MaxSamples { get; init; } = 50_000_000;

    /// <summary>
    /// Whether range queries of the common shapes are computed series by series over all steps at once (the
    /// default) instead of step by step; both give the same results.
    /// </summary>
    public bool SeriesWiseRange { get; init; } = true;
}
