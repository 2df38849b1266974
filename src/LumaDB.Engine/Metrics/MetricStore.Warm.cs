using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <content>
/// Reads below the hot tier: every sample is durable in the shard (memtable, warm and cold segments), and the hot
/// tier holds every sample at or after <see cref="HotFrom"/>. A read for older times takes that part from the shard.
/// </content>
public sealed partial class MetricStore
{
    // Up to this many series a read scans one key range per series; beyond it one time-bounded scan of all.
    private const int PerSeriesScanLimit = 32;

    private long _hotFrom = long.MinValue;
    private long _lastTrimTicks;
    private int _trimming;

    /// <summary>Earliest timestamp (ms) from which the hot tier holds every sample; older ones are read from the shard.</summary>
    public long HotFrom => Interlocked.Read(ref _hotFrom);

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
        if (cutoff <= HotFrom)
        {
            return;
        }

        // Readers switch to the shard for older times first, then the chunks go.
        Interlocked.Exchange(ref _hotFrom, cutoff);
        _samples.DropChunksBefore(cutoff);
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

        var hotMint = Math.Max(mint, hotFrom);
        if (hotMint <= maxt)
        {
            foreach (var id in ids)
            {
                if (!result.TryGetValue(id, out var list))
                {
                    list = [];
                }

                if (_samples.Read(id, hotMint, maxt, list) > 0 && list.Count > 0)
                {
                    result[id] = list;
                }
            }
        }

        return result;
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
