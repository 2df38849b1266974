using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <content>
/// Reads below the hot tier: every sample is durable in the shard (memtable, warm and cold segments). Chunks that
/// age out of the hot window move to the warm cache (compressed, within <see cref="MetricStoreOptions.WarmCacheBytes"/>);
/// together they hold every sample at or after <see cref="HotFrom"/>. A read for older times takes that part from the shard.
/// </content>
public sealed partial class MetricStore
{
    // Up to this many series a read scans one key range per series; beyond it one time-bounded scan of all.
    private const int PerSeriesScanLimit = 32;

    private readonly WarmChunks _warm = new();
    private readonly Lock _trimLock = new();
    private long _hotFrom = long.MinValue;
    private long _trimmedTo = long.MinValue;
    private long _lastTrimTicks;
    private int _trimming;

    /// <summary>
    /// Earliest timestamp (ms) from which memory (the hot tier and the warm cache) holds every sample; older ones
    /// are read from the shard.
    /// </summary>
    public long HotFrom => Interlocked.Read(ref _hotFrom);

    /// <summary>Estimated bytes the warm cache's chunks take.</summary>
    public long WarmMemoryBytes => _warm.MemoryBytes;

    /// <summary>
    /// Drops hot-tier chunks older than <see cref="MetricStoreOptions.HotRetention"/> (a durable store only: the shard
    /// keeps those samples and reads fetch them from there). Runs after flushes and about once a minute on writes.
    /// </summary>
    public void TrimHotTier()
    {
        if (_options.Directory is null)
        {
            return;
        }

        var cutoff = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.HotRetention.TotalMilliseconds;
        lock (_trimLock)
        {
            if (cutoff <= _trimmedTo)
            {
                return;
            }

            _trimmedTo = cutoff;
            var budget = _options.WarmCacheBytes;
            if (budget <= 0)
            {
                // Readers switch to the shard for older times first, then the chunks go.
                RaiseHotFrom(cutoff);
                _samples.DropChunksBefore(cutoff);
                return;
            }

            // Each chunk is in the warm cache before it leaves the hot tier: a reader sees it in one or both, and
            // reads merge the two dropping duplicates.
            _samples.DropChunksBefore(cutoff, _warm.Add);
            if (_warm.EvictionPoint(budget) is { } evictBefore)
            {
                RaiseHotFrom(evictBefore);
                _warm.DropBefore(evictBefore);
            }
        }
    }

    private void RaiseHotFrom(long to)
    {
        var current = Interlocked.Read(ref _hotFrom);
        while (to > current)
        {
            var seen = Interlocked.CompareExchange(ref _hotFrom, to, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Trims the hot tier in the background when the last trim is a minute old.</summary>
    private void MaybeTrimHotTier()
    {
        var now = Environment.TickCount64;
        if (_options.Directory is null || now - Interlocked.Read(ref _lastTrimTicks) < 60_000 || Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _lastTrimTicks, now);
        _ = Task.Run(() =>
        {
            try
            {
                TrimHotTier();
            }
            finally
            {
                Volatile.Write(ref _trimming, 0);
            }
        });
    }

    /// <summary>
    /// The samples of <paramref name="ids"/> in [<paramref name="mint"/>, <paramref name="maxt"/>]: the part before
    /// <see cref="HotFrom"/> from the shard, the rest from the hot tier. Series without samples are left out.
    /// </summary>
    private Dictionary<ulong, List<Sample>> ReadSamples(IReadOnlyCollection<ulong> ids, long mint, long maxt)
    {
        var hotFrom = HotFrom;
        var result = new Dictionary<ulong, List<Sample>>(ids.Count);
        if (_shard is not null && mint < hotFrom && ids.Count > 0)
        {
            ReadDurable(ids, mint, Math.Min(maxt, hotFrom - 1), result);
        }

        var memoryMint = Math.Max(mint, hotFrom);
        if (memoryMint <= maxt)
        {
            var hot = new List<Sample>();
            foreach (var id in ids)
            {
                if (!result.TryGetValue(id, out var list))
                {
                    list = [];
                }

                // The hot tier first: a chunk moving to the warm cache meanwhile is then seen twice, never missed.
                hot.Clear();
                _samples.Read(id, memoryMint, maxt, hot);
                var warmStart = list.Count;
                _warm.Read(id, memoryMint, maxt, list);
                MergeHot(list, warmStart, hot);
                if (list.Count > 0)
                {
                    result[id] = list;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Appends the hot samples to the warm ones from <paramref name="warmStart"/> on, in time order; on equal
    /// timestamps the hot sample (the newer write) wins.
    /// </summary>
    private static void MergeHot(List<Sample> list, int warmStart, List<Sample> hot)
    {
        if (hot.Count == 0)
        {
            return;
        }

        if (list.Count == warmStart || hot[0].TimestampMs > list[^1].TimestampMs)
        {
            list.AddRange(hot);
            return;
        }

        var warm = list.GetRange(warmStart, list.Count - warmStart);
        list.RemoveRange(warmStart, list.Count - warmStart);
        int i = 0, j = 0;
        while (i < warm.Count || j < hot.Count)
        {
            if (j == hot.Count || (i < warm.Count && warm[i].TimestampMs < hot[j].TimestampMs))
            {
                list.Add(warm[i++]);
            }
            else
            {
                if (i < warm.Count && warm[i].TimestampMs == hot[j].TimestampMs)
                {
                    i++;
                }

                list.Add(hot[j++]);
            }
        }
    }

    private void ReadDurable(IReadOnlyCollection<ulong> ids, long mint, long maxt, Dictionary<ulong, List<Sample>> into)
    {
        if (_shard is not { } shard || mint > maxt)
        {
            return;
        }

        var sorted = ids.Order().ToArray();
        var fromMicros = ClampMicros(mint);
        var toMicros = ClampMicros(maxt) + 1;
        var snapshot = shard.LastCommittedSeq;
        if (sorted.Length <= PerSeriesScanLimit)
        {
            foreach (var id in sorted)
            {
                var scan = new SegmentScan { Keys = new KeyRange(SampleKey(id, fromMicros), SampleKey(id, toMicros)) };
                Collect(shard.ScanAsync(MetricTables.Samples, scan, snapshot), null, into);
            }

            return;
        }

        var wanted = new HashSet<ulong>(sorted);
        var all = new SegmentScan
        {
            Keys = new KeyRange(SeriesKey(sorted[0]), SeriesKey(sorted[^1] + 1)),
            Time = new TimeRange(fromMicros, toMicros),
        };
        Collect(shard.ScanAsync(MetricTables.Samples, all, snapshot), wanted, into);
    }

    private static void Collect(IAsyncEnumerable<RecordBatch> batches, HashSet<ulong>? wanted, Dictionary<ulong, List<Sample>> into)
    {
        // Query engines read synchronously; the shard's scan only waits on file reads.
        foreach (var batch in batches.ToBlockingEnumerable())
        {
            using (batch)
            {
                var ids = (UInt64Array)batch.Column(0);
                var micros = (TimestampArray)batch.Column(1);
                var values = (DoubleArray)batch.Column(2);
                List<Sample>? list = null;
                var listId = ulong.MaxValue;
                for (var i = 0; i < batch.Length; i++)
                {
                    var id = ids.GetValue(i)!.Value;
                    if (wanted is not null && !wanted.Contains(id))
                    {
                        continue;
                    }

                    if (list is null || id != listId)
                    {
                        listId = id;
                        if (!into.TryGetValue(id, out list))
                        {
                            list = [];
                            into.Add(id, list);
                        }
                    }

                    list.Add(new Sample(micros.GetValue(i)!.Value / 1000, values.GetValue(i)!.Value));
                }
            }
        }
    }

    /// <summary>Whether the shard holds a sample older than <paramref name="ms"/>: if not, memory holds every sample.</summary>
    private static async Task<bool> HasSamplesBeforeAsync(Shard shard, long ms, ulong snapshot, CancellationToken cancellationToken)
    {
        var older = new SegmentScan { Time = new TimeRange(long.MinValue, ClampMicros(ms)) };
        await foreach (var batch in shard.ScanAsync(MetricTables.Samples, older, snapshot, cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                if (batch.Length > 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static long ClampMicros(long ms) => Math.Clamp(ms, long.MinValue / 1000 + 1, (long.MaxValue / 1000) - 1) * 1000;

    private static byte[] SeriesKey(ulong id)
    {
        var key = new ArrayBufferWriter<byte>(16);
        KeyEncoding.WriteUInt64(key, id);
        return key.WrittenSpan.ToArray();
    }

    private static byte[] SampleKey(ulong id, long micros)
    {
        var key = new ArrayBufferWriter<byte>(32);
        KeyEncoding.WriteUInt64(key, id);
        KeyEncoding.WriteTimestamp(key, micros);
        return key.WrittenSpan.ToArray();
    }
}
