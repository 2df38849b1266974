using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// The hot tier of native histogram samples: per series id a list of <see cref="HistogramChunk"/>s in time
/// order. Appends follow the float tier's rules: newest wins the fast path, older samples inside the
/// out-of-order window are inserted, an equal timestamp is a duplicate (same histogram) or a conflict.
/// Each sample is stored with the counter-reset hint reads report, worked out once when it is written (see
/// <see cref="ReadHint"/>), so reads hand out the stored histograms as they are.
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
                var last = chunks.Count > 0 ? chunks[^1].ValueAt(chunks[^1].Count - 1) : null;
                if (chunks.Count == 0 || chunks[^1].IsFull)
                {
                    chunks.Add(new HistogramChunk(samplesPerChunk));
                }

                chunks[^1].Append(t, Stored(h, h.CounterResetHint, last), h.CounterResetHint);
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
                        c++;
                    }
                }

                var before = at > 0 ? chunk.ValueAt(at - 1) : c > 0 ? chunks[c - 1].ValueAt(chunks[c - 1].Count - 1) : null;
                var stored = Stored(h, h.CounterResetHint, before);
                chunk.Insert(at, t, stored, h.CounterResetHint);

                // The sample after the inserted one now follows it, which can change the hint it reads with.
                var (next, j) = at + 1 < chunk.Count ? (chunk, at + 1) : c + 1 < chunks.Count ? (chunks[c + 1], 0) : (null, 0);
                if (next is not null)
                {
                    next.SetValueAt(j, Stored(next.ValueAt(j), next.WrittenHintAt(j), stored));
                }
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
            foreach (var c in chunks)
            {
                if (c.MaxTime < mint || c.MinTime > maxt)
                {
                    continue;
                }

                for (var i = c.LowerBound(mint); i < c.Count && c.TimeAt(i) <= maxt; i++)
                {
                    times.Add(c.TimeAt(i));
                    values.Add(c.ValueAt(i));
                    n++;
                }
            }

            return n;
        }
    }

    // The histogram as stored: h carrying the hint reads report for it after the sample before it.
    private static FloatHistogram Stored(FloatHistogram h, CounterResetHint written, FloatHistogram? before)
    {
        var hint = ReadHint(h, written, before);
        return h.CounterResetHint == hint ? h : h.WithHint(hint);
    }

    /// <summary>
    /// The counter-reset hint a read reports, as Prometheus's histogram chunks report it: a gauge histogram is a
    /// gauge; a counter histogram that continues a chunk is "not a reset"; one that starts a chunk is "unknown",
    /// even when a reset started it, since a chunk cannot know whether the one before it is still there.
    /// Consumers that need to know then compare with the sample before (rate, resets) or, for statistics-only
    /// reads, the query engine does (Prometheus's HistogramStatsIterator).
    /// </summary>
    private static CounterResetHint ReadHint(FloatHistogram h, CounterResetHint written, FloatHistogram? before)
    {
        if (written == CounterResetHint.Gauge)
        {
            return CounterResetHint.Gauge;
        }

        return StartsChunk(h, written, before) ? CounterResetHint.Unknown : CounterResetHint.NotCounterReset;
    }

    // Whether Prometheus's chunk appender would cut a new chunk for h after before: nothing or a gauge before, an
    // explicit reset, leaving a stale run, another schema, zero threshold or set of custom bounds, or a reset
    // (the count, the zero bucket or any bucket going down). Chunks it cuts for size or time are not modelled.
    private static bool StartsChunk(FloatHistogram h, CounterResetHint written, FloatHistogram? before)
    {
        if (before is null || before.CounterResetHint == CounterResetHint.Gauge || written == CounterResetHint.CounterReset)
        {
            return true;
        }

        if (IsStale(h.Sum))
        {
            return false;
        }

        if (IsStale(before.Sum) || h.Schema != before.Schema || !h.ZeroThreshold.Equals(before.ZeroThreshold)
            || (h.UsesCustomBuckets && !h.CustomValues.AsSpan().SequenceEqual(before.CustomValues)))
        {
            return true;
        }

        // The chunk appender ignores a written "not a reset" and looks for itself.
        return h.DetectResetByValues(before);
    }

    private static bool IsStale(double v) => BitConverter.DoubleToUInt64Bits(v) == 0x7ff0000000000002;

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
