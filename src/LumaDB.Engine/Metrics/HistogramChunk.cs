namespace LumaDB.Engine.Metrics;

/// <summary>
/// A run of one series' native histogram samples in the hot tier, in time order. A series keeps a list of
/// chunks, each cut at a fixed sample count, so reads of a time window skip whole chunks by their bounds.
/// </summary>
internal sealed class HistogramChunk(int capacity)
{
    private readonly long[] _times = new long[capacity];
    private readonly FloatHistogram[] _values = new FloatHistogram[capacity];

    // The counter-reset hint each sample was written with; the stored value carries the hint reads report.
    private readonly CounterResetHint[] _written = new CounterResetHint[capacity];

    public int Count { get; private set; }

    public bool IsFull => Count == _times.Length;

    public long MinTime => _times[0];

    public long MaxTime => _times[Count - 1];

    public long TimeAt(int i) => _times[i];

    public FloatHistogram ValueAt(int i) => _values[i];

    public CounterResetHint WrittenHintAt(int i) => _written[i];

    /// <summary>Replaces the stored value at <paramref name="i"/> (same sample, another read hint).</summary>
    public void SetValueAt(int i, FloatHistogram h) => _values[i] = h;

    public void Append(long t, FloatHistogram h, CounterResetHint written)
    {
        _times[Count] = t;
        _written[Count] = written;
        _values[Count++] = h;
    }

    /// <summary>Inserts at <paramref name="at"/> (the chunk must not be full).</summary>
    public void Insert(int at, long t, FloatHistogram h, CounterResetHint written)
    {
        Array.Copy(_times, at, _times, at + 1, Count - at);
        Array.Copy(_values, at, _values, at + 1, Count - at);
        Array.Copy(_written, at, _written, at + 1, Count - at);
        _times[at] = t;
        _values[at] = h;
        _written[at] = written;
        Count++;
    }

    /// <summary>Index of the first sample at or after <paramref name="t"/>.</summary>
    public int LowerBound(long t)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_times[mid] < t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Splits off the upper half into a new chunk (for inserts into a full chunk).</summary>
    public HistogramChunk Split()
    {
        var upper = new HistogramChunk(_times.Length);
        var half = Count / 2;
        for (var i = half; i < Count; i++)
        {
            upper.Append(_times[i], _values[i], _written[i]);
            _values[i] = null!;
        }

        Count = half;
        return upper;
    }
}
