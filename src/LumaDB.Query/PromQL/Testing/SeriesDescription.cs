namespace LumaDB.Query.PromQL.Testing;

/// <summary>What one expanded slot of a value sequence holds.</summary>
public enum SampleKind
{
    /// <summary>A float sample.</summary>
    Float,

    /// <summary><c>_</c>: no sample in this slot.</summary>
    Omitted,

    /// <summary><c>stale</c>: a staleness marker.</summary>
    Stale,

    /// <summary>A native histogram: <see cref="SampleValue.Histogram"/> plus <see cref="SampleValue.Multiplier"/> times <see cref="SampleValue.HistogramIncrement"/>.</summary>
    Histogram,
}

/// <summary>
/// One expanded slot of a series. Histogram sequences (<c>{{a}}+{{b}}x3</c>) are kept symbolic: slot k is
/// <c>Histogram + Multiplier * HistogramIncrement</c> (Multiplier negative for <c>-</c>), since adding histograms needs bucket arithmetic the storage layer owns.
/// </summary>
public readonly record struct SampleValue(SampleKind Kind, double Value, HistogramLiteral? Histogram = null, HistogramLiteral? HistogramIncrement = null, int Multiplier = 0)
{
    /// <summary>The bit pattern Prometheus uses for staleness markers.</summary>
    public const ulong StaleNaNBits = 0x7ff0000000000002;

    /// <summary>The staleness marker as a double.</summary>
    public static double StaleNaN => BitConverter.UInt64BitsToDouble(StaleNaNBits);

    /// <summary>A float slot.</summary>
    public static SampleValue Float(double value) => new(SampleKind.Float, value);

    /// <summary>An empty slot.</summary>
    public static SampleValue Omitted => new(SampleKind.Omitted, 0);

    /// <summary>A staleness marker slot.</summary>
    public static SampleValue Stale => new(SampleKind.Stale, StaleNaN);
}

/// <summary>
/// A series line: labels (the metric name, when given, as <c>__name__</c>) and its expanded values.
/// <see cref="StartTimestampOffsets"/> comes from a preceding <c>name@st</c> line (null slots = no start timestamp).
/// </summary>
public sealed record SeriesDescription(string SeriesText, IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<SampleValue> Values)
{
    /// <summary>Per-sample start-timestamp offsets relative to each sample's time, if given.</summary>
    public IReadOnlyList<TimeSpan?>? StartTimestampOffsets { get; init; }

    /// <summary>The metric name, or null.</summary>
    public string? MetricName => Labels.FirstOrDefault(l => l.Key == "__name__").Value;
}
