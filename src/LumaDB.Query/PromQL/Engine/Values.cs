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

    /// <summary>The native histogram when this sample is one (then <see cref="F"/> is unused).</summary>
    public FloatHistogram? H;

    public EvalSample(LabelSet labels, double f, long t, bool dropName = false)
    {
        Labels = labels;
        F = f;
        T = t;
        DropName = dropName;
        H = null;
    }

    public EvalSample(LabelSet labels, FloatHistogram h, long t, bool dropName)
    {
        Labels = labels;
        F = 0;
        T = t;
        DropName = dropName;
        H = h;
    }
}

/// <summary>
/// A window of one series' samples: a slice of shared arrays, never copied per step. Float samples and native
/// histogram samples are separate slices, as range functions treat them apart.
/// </summary>
internal sealed class RangeSeries(LabelSet labels, long[] t, double[] f, int start, int count, bool dropName)
{
    private static readonly long[] NoTimes = [];
    private static readonly FloatHistogram[] NoHistograms = [];

    public long[] HT { get; private set; } = NoTimes;
    public FloatHistogram[] HH { get; private set; } = NoHistograms;
    public int HStart { get; private set; }
    public int HCount { get; private set; }

    public ReadOnlySpan<long> HistogramTimes => HT.AsSpan(HStart, HCount);
    public ReadOnlySpan<FloatHistogram> Histograms => HH.AsSpan(HStart, HCount);

    /// <summary>Attaches the histogram slice of the same window.</summary>
    public RangeSeries WithHistograms(long[] ht, FloatHistogram[] hh, int hStart, int hCount)
    {
        HT = ht;
        HH = hh;
        HStart = hStart;
        HCount = hCount;
        return this;
    }

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
internal sealed class StringValue(string value, byte[]? invalidUtf8 = null) : EvalValue
{
    public string Value { get; } = value;

    /// <summary>The literal's bytes when they are not valid UTF-8 (<see cref="Value"/> then holds U+FFFD for them).</summary>
    public byte[]? InvalidUtf8 { get; } = invalidUtf8;
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
