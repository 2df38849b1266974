using System.Buffers;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <content>
/// Reads below the hot tier: checkpointed chunks are rows of the shard (memtable, warm and cold segments). Chunks
/// that age out of the hot window (once persisted) move to the warm cache (compressed, within
/// <see cref="MetricStoreOptions.WarmCacheBytes"/>); together they hold every sample at or after <see cref="HotFrom"/>.
/// A read for older times takes that part from the shard's chunk rows; the hot tier is merged over the whole range,
/// since it also holds logged samples of any age that no checkpoint has stored yet.
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
    /// Drops persisted hot-tier chunks older than <see cref="MetricStoreOptions.HotRetention"/> (a durable store only:
    /// the shard's chunk rows keep those samples and reads fetch them from there). Runs after checkpoints.
    /// </summary>
    public void TrimHotTier()
    {
        if (_options.Directory is null)
        {
            return;
        }

        if (_options.Retention is { } retention)
        {
            DropExpiredFromMemory(retention);
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
                _samples.DropPersistedChunksBefore(cutoff, null);
                return;
            }

            // Each chunk is in the warm cache before it leaves the hot tier: a reader sees it in one or both, and
            // reads merge the two dropping duplicates.
            _samples.DropPersistedChunksBefore(cutoff, _warm.Add);
            if (_warm.EvictionPoint(budget) is { } evictBefore)
            {
                RaiseHotFrom(evictBefore);
                _warm.DropBefore(evictBefore);
            }
        }
    }

    /// <summary>
    /// Drops the chunk segments whose samples all ended before <see cref="MetricStoreOptions.Retention"/> (the shard's
    /// maintenance also does so about once a minute), and the chunks that old the memory still holds.
    /// </summary>
    public async Task ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        if (_shard is not { } shard || _options.Retention is not { } retention)
        {
            return;
        }

        await shard.ApplyRetentionAsync(cancellationToken).ConfigureAwait(false);
        DropExpiredFromMemory(retention);
    }

    private void DropExpiredFromMemory(TimeSpan retention)
    {
        var cutoff = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() - (long)retention.TotalMilliseconds;
        lock (_trimLock)
        {
            _warm.DropBefore(cutoff);
            _samples.DropPersistedChunksBefore(cutoff, null);
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

    /// <summary>
    /// The samples of <paramref name="ids"/> in [<paramref name="mint"/>, <paramref name="maxt"/>]: the part before
    /// <see cref="HotFrom"/> from the shard's chunk rows, the rest from the warm cache, and the hot tier's samples of
    /// the whole range merged over both. Series without samples are left out.
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
        var hot = new List<Sample>();
        foreach (var id in ids)
        {
            if (!result.TryGetValue(id, out var list))
            {
                list = [];
            }

            // The hot tier first: a chunk moving to the warm cache meanwhile is then seen twice, never missed.
            hot.Clear();
            _samples.Read(id, mint, maxt, hot);
            if (memoryMint <= maxt)
            {
                _warm.Read(id, memoryMint, maxt, list);
            }

            MergeHot(list, 0, hot);
            if (list.Count > 0)
            {
                result[id] = list;
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
        var rows = new Dictionary<ulong, List<ChunkRow>>();
        if (sorted.Length <= PerSeriesScanLimit)
        {
            // Chunks that start before the range's end and end at or after its start.
            foreach (var id in sorted)
            {
                var scan = new SegmentScan
                {
                    Keys = new KeyRange(SeriesKey(id), ChunkKey(id, toMicros)),
                    Time = new TimeRange(fromMicros, long.MaxValue),
                };
                ChunkRow.Collect(shard.ScanAsync(MetricTables.Chunks, scan, snapshot).ToBlockingEnumerable(), null, toMicros, rows);
            }
        }
        else
        {
            var wanted = new HashSet<ulong>(sorted);
            var all = new SegmentScan
            {
                Keys = new KeyRange(SeriesKey(sorted[0]), SeriesKey(sorted[^1] + 1)),
                Time = new TimeRange(fromMicros, long.MaxValue),
            };
            ChunkRow.Collect(shard.ScanAsync(MetricTables.Chunks, all, snapshot).ToBlockingEnumerable(), wanted, toMicros, rows);
        }

        foreach (var (id, chunks) in rows)
        {
            var list = new List<Sample>();
            ChunkRow.Decode(chunks, mint, maxt, list);
            if (list.Count > 0)
            {
                into[id] = list;
            }
        }
    }

    /// <summary>Whether the shard holds a chunk that ends before <paramref name="ms"/>: if not, memory holds every sample.</summary>
    private static async Task<bool> HasChunksBeforeAsync(Shard shard, long ms, ulong snapshot, CancellationToken cancellationToken)
    {
        var older = new SegmentScan { Time = new TimeRange(long.MinValue, ClampMicros(ms)) };
        await foreach (var batch in shard.ScanAsync(MetricTables.Chunks, older, snapshot, cancellationToken).ConfigureAwait(false))
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

    private static byte[] ChunkKey(ulong id, long micros)
    {
        var key = new ArrayBufferWriter<byte>(32);
        KeyEncoding.WriteUInt64(key, id);
        KeyEncoding.WriteTimestamp(key, micros);
        return key.WrittenSpan.ToArray();
    }
}
