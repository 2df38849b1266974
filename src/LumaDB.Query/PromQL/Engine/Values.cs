using LumaDB.Engine.Metrics;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// A sample flowing between evaluator nodes. <see cref="DropName"/> defers removing <c>__name__</c> to the end
/// of evaluation (Prometheus's delayed name removal), so later label functions still see the name.
/// </summary>
internal struct EvalSample
{
    public LabelSet Labels;
    public double F;
    public long T;
    public bool DropName;

    public EvalSample(LabelSet labels, double f, long t, bool dropName = false)
    {
        Labels = labels;
        F = f;
        T = t;
        DropName = dropName;
    }
}

/// <summary>A window of one series' samples: a slice of shared arrays, never copied per step.</summary>
internal sealed class RangeSeries(LabelSet labels, long[] t, double[] f, int start, int count, bool dropName)
{
    public LabelSet Labels { get; } = labels;
    public long[] T { get; } = t;
    public double[] F { get; } = f;
    public int Start { get; } = start;
    public int Count { get; } = count;
    public bool DropName { get; } = dropName;

    public ReadOnlySpan<long> Times => T.AsSpan(Start, Count);
    public ReadOnlySpan<double> Floats => F.AsSpan(Start, Count);
}

/// <summary>Base of evaluated values.</summary>
internal abstract class EvalValue;

/// <summary>A scalar.</summary>
internal sealed class ScalarValue(double value) : EvalValue
{
    public double Value { get; } = value;
}

/// <summary>A string.</summary>
internal sealed class StringValue(string value) : EvalValue
{
    public string Value { get; } = value;
}

/// <summary>An instant vector.</summary>
internal sealed class VectorValue(List<EvalSample> samples) : EvalValue
{
    public List<EvalSample> Samples { get; } = samples;
}

/// <summary>A range vector with the window it was selected over (needed for rate extrapolation).</summary>
internal sealed class MatrixValue(List<RangeSeries> series, long rangeStart, long rangeEnd, bool bounded = false) : EvalValue
{
    /// <summary>
    /// True for <c>anchored</c>/<c>smoothed</c> ranges: the first and last points already sit on the range
    /// boundaries, so rates take the plain difference instead of extrapolating.
    /// </summary>
    public bool Bounded { get; } = bounded;

    public List<RangeSeries> Series { get; } = series;
    public long RangeStart { get; } = rangeStart;
    public long RangeEnd { get; } = rangeEnd;
}
