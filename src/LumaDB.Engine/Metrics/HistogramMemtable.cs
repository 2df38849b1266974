using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// The hot tier of native histogram samples: per series id a list of <see cref="HistogramChunk"/>s in time
/// order. Appends follow the float tier's rules: newest wins the fast path, older samples inside the
/// out-of-order window are inserted, an equal timestamp is a duplicate (same histogram) or a conflict.
/// </summary>
internal sealed class HistogramMemtable(int samplesPerChunk, long outOfOrderWindowMs)
{
    private readonly Dictionary<ulong, List<HistogramChunk>> _series = [];
    private readonly Lock _lock = new();
    private long _count;

    public long SampleCount => Interlocked.Read(ref _count);

    public SeriesAppendResult Check(ulong id, long t, FloatHistogram h)
    {
        lock (_lock)
        {
            return Verdict(id, t, h, out _, out _);
        }
    }

    public SeriesAppendResult Append(ulong id, long t, FloatHistogram h)
    {
        lock (_lock)
        {
            var verdict = Verdict(id, t, h, out var chunks, out var position);
            if (verdict is not (SeriesAppendResult.Appended or SeriesAppendResult.AppendedOutOfOrder))
            {
                return verdict;
            }

            if (chunks is null)
            {
                chunks = [];
                _series[id] = chunks;
            }

            if (verdict == SeriesAppendResult.Appended)
            {
                if (chunks.Count == 0 || chunks[^1].IsFull)
                {
                    chunks.Add(new HistogramChunk(samplesPerChunk));
                }

                chunks[^1].Append(t, h);
            }
            else
            {
                var (c, at) = position;
                var chunk = chunks[c];
                if (chunk.IsFull)
                {
                    var upper = chunk.Split();
                    chunks.Insert(c + 1, upper);
                    if (at > chunk.Count)
                    {
                        chunk = upper;
                        at -= chunks[c].Count;
                    }
                }

                chunk.Insert(at, t, h);
            }

            _count++;
            return verdict;
        }
    }

    public bool HasSamples(ulong id, long mint, long maxt)
    {
        lock (_lock)
        {
            if (!_series.TryGetValue(id, out var chunks))
            {
                return false;
            }

            foreach (var c in chunks)
            {
                if (c.MaxTime >= mint && c.MinTime <= maxt)
                {
                    var i = c.LowerBound(mint);
                    if (i < c.Count && c.TimeAt(i) <= maxt)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    public int Read(ulong id, long mint, long maxt, List<long> times, List<FloatHistogram> values)
    {
        lock (_lock)
        {
            if (!_series.TryGetValue(id, out var chunks))
            {
                return 0;
            }

            var n = 0;
            FloatHistogram? before = null;
            foreach (var c in chunks)
            {
                if (c.MaxTime < mint || c.MinTime > maxt)
                {
                    before = c.Count > 0 ? c.ValueAt(c.Count - 1) : before;
                    continue;
                }

                var i = c.LowerBound(mint);
                if (i > 0)
                {
                    before = c.ValueAt(i - 1);
                }

                for (; i < c.Count && c.TimeAt(i) <= maxt; i++)
                {
                    var h = c.ValueAt(i);
                    times.Add(c.TimeAt(i));
                    values.Add(WithResetHint(h, before));
                    before = h;
                    n++;
                }
            }

            return n;
        }
    }

    // A counter sample read back says whether it follows a reset of the sample before it, as a chunk
    // format that records resets does; the first sample of a series stays unknown.
    private static FloatHistogram WithResetHint(FloatHistogram h, FloatHistogram? before)
    {
        if (before is null || h.CounterResetHint != CounterResetHint.Unknown || before.CounterResetHint == CounterResetHint.Gauge)
        {
            return h;
        }

        return h.WithHint(h.DetectReset(before) ? CounterResetHint.CounterReset : CounterResetHint.NotCounterReset);
    }

    private SeriesAppendResult Verdict(ulong id, long t, FloatHistogram h, out List<HistogramChunk>? chunks, out (int Chunk, int At) position)
    {
        position = default;
        if (!_series.TryGetValue(id, out chunks) || chunks.Count == 0 || t > chunks[^1].MaxTime)
        {
            return SeriesAppendResult.Appended;
        }

        for (var c = chunks.Count - 1; c >= 0; c--)
        {
            var chunk = chunks[c];
            if (c > 0 && t < chunk.MinTime)
            {
                continue;
            }

            var at = chunk.LowerBound(t);
            if (at < chunk.Count && chunk.TimeAt(at) == t)
            {
                return chunk.ValueAt(at).Equivalent(h) ? SeriesAppendResult.Duplicate : SeriesAppendResult.DuplicateConflict;
            }

            position = (c, at);
            break;
        }

        return t < chunks[^1].MaxTime - outOfOrderWindowMs ? SeriesAppendResult.TooOld : SeriesAppendResult.AppendedOutOfOrder;
    }
}
