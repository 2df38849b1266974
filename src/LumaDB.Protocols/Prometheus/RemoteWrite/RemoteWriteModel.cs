namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>Which remote write protocol a body uses, chosen by its Content-Type.</summary>
public enum RemoteWriteVersion
{
    /// <summary>Remote write 1.0: <c>prometheus.WriteRequest</c>.</summary>
    V1,

    /// <summary>Remote write 2.0: <c>io.prometheus.write.v2.Request</c> with a symbol table.</summary>
    V2,
}

/// <summary>A label's name and value as offsets into the decoded request buffer.</summary>
public readonly record struct LabelRef(int NameOffset, int NameLength, int ValueOffset, int ValueLength)
{
    /// <summary>The name's bytes.</summary>
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> buffer) => buffer.Slice(NameOffset, NameLength);

    /// <summary>The value's bytes.</summary>
    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> buffer) => buffer.Slice(ValueOffset, ValueLength);

    /// <summary>Sorts labels by name in place; insertion sort, linear on the already-sorted input senders produce.</summary>
    public static void SortByName(ReadOnlySpan<byte> buffer, Span<LabelRef> labels)
    {
        for (var i = 1; i < labels.Length; i++)
        {
            var current = labels[i];
            var j = i - 1;
            while (j >= 0 && labels[j].Name(buffer).SequenceCompareTo(current.Name(buffer)) > 0)
            {
                labels[j + 1] = labels[j];
                j--;
            }

            labels[j + 1] = current;
        }
    }
}

/// <summary>The exposition-format words for <see cref="MetricType"/>.</summary>
public static class MetricTypeWords
{
    /// <summary>The word metadata and the <c>/api/v1/metadata</c> endpoint use (<c>counter</c>, <c>gaugehistogram</c>...).</summary>
    public static string ToWord(this MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        MetricType.GaugeHistogram => "gaugehistogram",
        MetricType.Summary => "summary",
        MetricType.Info => "info",
        MetricType.StateSet => "stateset",
        _ => "unknown",
    };
}

/// <summary>Prometheus metric types, numbered as in both remote write versions.</summary>
public enum MetricType
{
    /// <summary>Not stated.</summary>
    Unknown = 0,

    /// <summary>A monotonic counter.</summary>
    Counter = 1,

    /// <summary>A gauge.</summary>
    Gauge = 2,

    /// <summary>A histogram.</summary>
    Histogram = 3,

    /// <summary>A gauge histogram.</summary>
    GaugeHistogram = 4,

    /// <summary>A summary.</summary>
    Summary = 5,

    /// <summary>An info metric.</summary>
    Info = 6,

    /// <summary>A state set.</summary>
    StateSet = 7,
}

/// <summary>How a native histogram relates to the previous one of its series.</summary>
public enum HistogramResetHint
{
    /// <summary>Not known.</summary>
    Unknown = 0,

    /// <summary>A counter reset happened.</summary>
    Yes = 1,

    /// <summary>No counter reset happened.</summary>
    No = 2,

    /// <summary>A gauge histogram: resets are meaningless.</summary>
    Gauge = 3,
}

/// <summary>
/// One native histogram sample. The decoder reuses a single instance for a whole request, so a sink that keeps
/// a histogram must copy what it needs.
/// </summary>
public sealed class NativeHistogram
{
    /// <summary>True for float histograms (<c>*_float</c> counts), false for integer ones (<c>*_int</c> and deltas).</summary>
    public bool IsFloat { get; internal set; }

    /// <summary>The total count (integer histograms hold whole numbers here).</summary>
    public double Count { get; internal set; }

    /// <summary>The sum of observations.</summary>
    public double Sum { get; internal set; }

    /// <summary>The bucket schema; -53 means custom buckets.</summary>
    public int Schema { get; internal set; }

    /// <summary>Observations with an absolute value at or below this fall in the zero bucket.</summary>
    public double ZeroThreshold { get; internal set; }

    /// <summary>The zero bucket's count.</summary>
    public double ZeroCount { get; internal set; }

    /// <summary>Counter-reset hint.</summary>
    public HistogramResetHint ResetHint { get; internal set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long TimestampMs { get; internal set; }

    /// <summary>Negative bucket spans (offset, length).</summary>
    public List<(int Offset, uint Length)> NegativeSpans { get; } = [];

    /// <summary>Negative bucket counts, absolute (deltas are resolved while decoding).</summary>
    public List<double> NegativeBuckets { get; } = [];

    /// <summary>Positive bucket spans (offset, length).</summary>
    public List<(int Offset, uint Length)> PositiveSpans { get; } = [];

    /// <summary>Positive bucket counts, absolute (deltas are resolved while decoding).</summary>
    public List<double> PositiveBuckets { get; } = [];

    /// <summary>Custom bucket upper bounds (schema -53).</summary>
    public List<double> CustomValues { get; } = [];

    internal void Clear()
    {
        IsFloat = false;
        Count = Sum = ZeroThreshold = ZeroCount = 0;
        Schema = 0;
        ResetHint = HistogramResetHint.Unknown;
        TimestampMs = 0;
        NegativeSpans.Clear();
        NegativeBuckets.Clear();
        PositiveSpans.Clear();
        PositiveBuckets.Clear();
        CustomValues.Clear();
    }
}

/// <summary>
/// Receives a decoded remote write request, series by series. Labels arrive sorted by name, without empty values.
/// Implemented by the storage write path; as a struct where the decoder is called generically, so calls devirtualize.
/// </summary>
public interface IRemoteWriteSink
{
    /// <summary>
    /// A series begins; its samples, histograms and exemplars follow until <see cref="EndSeries"/>.
    /// <paramref name="encodedLabels"/> are the exact bytes of the series' label fields when they form one run at
    /// the start of its message (remote write 1.0 as senders write it), else empty: a sink may remember them and
    /// recognise the series by them in <see cref="TryBeginEncodedSeries"/>.
    /// </summary>
    void BeginSeries(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, ReadOnlySpan<byte> encodedLabels);

    /// <summary>
    /// Begins the series whose label fields are exactly <paramref name="encodedLabels"/> when the sink has seen
    /// those bytes in an earlier <see cref="BeginSeries"/> (so they were valid then, and are now); false otherwise,
    /// and the decoder then parses and checks the labels and calls <see cref="BeginSeries"/>.
    /// <paramref name="hash"/> is <see cref="System.IO.Hashing.XxHash3.HashToUInt64(ReadOnlySpan{byte}, long)"/> of
    /// <paramref name="encodedLabels"/> (seed 0).
    /// </summary>
    bool TryBeginEncodedSeries(ReadOnlySpan<byte> encodedLabels, ulong hash);

    /// <summary>
    /// A series whose label fields hash to <paramref name="hash"/> (as in <see cref="TryBeginEncodedSeries"/>)
    /// comes later in the request: a sink may start loading what it keeps under that hash, so the lookup finds it
    /// in cache. The decoder announces a request's series before it decodes them.
    /// </summary>
    void PrefetchEncodedSeries(ulong hash);

    /// <summary>A float sample of the current series.</summary>
    void Sample(long timestampMs, double value);

    /// <summary>A native histogram sample of the current series (the instance is reused).</summary>
    void Histogram(NativeHistogram histogram);

    /// <summary>An exemplar of the current series.</summary>
    void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long timestampMs);

    /// <summary>The current series ends.</summary>
    void EndSeries();

    /// <summary>Metadata for a metric family (v1: per request; v2: per series, family from <c>__name__</c>).</summary>
    void Metadata(MetricType type, ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> help, ReadOnlySpan<byte> unit);
}

/// <summary>What a request held, for responses (remote write 2.0 headers) and self-metrics.</summary>
public record struct RemoteWriteCounts(int Series, int Samples, int Histograms, int Exemplars, int Metadata);
