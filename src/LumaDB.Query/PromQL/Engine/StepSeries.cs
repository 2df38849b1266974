using LumaDB.Engine.Metrics;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// One series' values at every step of a range query, as the series-wise evaluator passes them between nodes:
/// dense arrays indexed by step with a presence flag per step (NaN is a value, so absence needs its own mark).
/// Producers reuse one instance for all their series; a consumer that keeps one copies it.
/// </summary>
internal sealed class StepSeries(int steps)
{
    public LabelSet Labels { get; set; } = LabelSet.Empty;

    /// <summary>The deferred removal of <c>__name__</c>, as <see cref="EvalSample.DropName"/>.</summary>
    public bool DropName { get; set; }

    public double[] Values { get; } = new double[steps];
    public bool[] Present { get; } = new bool[steps];

    public StepSeries Copy()
    {
        var copy = new StepSeries(Values.Length) { Labels = Labels, DropName = DropName };
        Values.CopyTo(copy.Values, 0);
        Present.CopyTo(copy.Present, 0);
        return copy;
    }

    /// <summary>Whether any step has a value.</summary>
    public bool Any() => Present.AsSpan().Contains(true);
}
