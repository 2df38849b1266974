using System.Collections.Concurrent;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// Closed Gorilla chunks that have aged out of the hot tier, kept compressed per series within a byte budget so
/// reads of the hours before the hot window decode a few chunks instead of scanning the shard's sample rows.
/// </summary>
/// <remarks>
/// Each series holds an immutable array of chunks in time order, replaced whole on change, so readers take no
/// lock. Adding and evicting run under one writer lock (the hot tier's trim). Eviction drops whole layers of the
/// oldest chunks of every series and reports the time from which every series is still complete.
/// </remarks>
internal sealed class WarmChunks
{
    private readonly ConcurrentDictionary<ulong, GorillaChunk[]> _series = new();
    private readonly Lock _writeLock = new();
    private long _encodedBytes;
    private long _chunkCount;

    /// <summary>Estimated memory held: encoded bytes plus per-chunk and per-series object overhead.</summary>
    public long MemoryBytes =>
        Interlocked.Read(ref _encodedBytes) + (Interlocked.Read(ref _chunkCount) * SeriesMemtable.ChunkOverheadBytes) + ((long)_series.Count * 48);

    /// <summary>Number of chunks held.</summary>
    public long ChunkCount => Interlocked.Read(ref _chunkCount);

    /// <summary>Appends a chunk of one series; it must be newer than the ones it holds (the hot tier's order).</summary>
    public void Add(ulong seriesId, GorillaChunk chunk)
    {
        lock (_writeLock)
        {
            var old = _series.TryGetValue(seriesId, out var held) ? held : [];
            var next = new GorillaChunk[old.Length + 1];
            old.CopyTo(next, 0);
            next[^1] = chunk;
            _series[seriesId] = next;
            Interlocked.Add(ref _encodedBytes, chunk.Data.Length);
            Interlocked.Increment(ref _chunkCount);
        }
    }

    /// <summary>Appends the samples of a series in [<paramref name="mint"/>, <paramref name="maxt"/>] to <paramref name="into"/>, in time order.</summary>
    public void Read(ulong seriesId, long mint, long maxt, List<Sample> into)
    {
        if (!_series.TryGetValue(seriesId, out var chunks))
        {
            return;
        }

        var start = into.Count;
        var previousMax = long.MinValue;
        var overlapping = false;
        foreach (var chunk in chunks)
        {
            if (chunk.MaxTime < mint || chunk.MinTime > maxt)
            {
                continue;
            }

            overlapping |= chunk.MinTime <= previousMax;
            previousMax = Math.Max(previousMax, chunk.MaxTime);
            chunk.AppendRange(mint, maxt, into);
        }

        if (overlapping)
        {
            SortKeepingLatest(into, start);
        }
    }

    /// <summary>
    /// Orders samples from <paramref name="start"/> on by time, keeping the later one of equal timestamps: a late
    /// sample re-encoded into a newer chunk after the older one had left the hot tier.
    /// </summary>
    private static void SortKeepingLatest(List<Sample> samples, int start)
    {
        var sorted = samples.Skip(start).Select((s, i) => (s, i)).OrderBy(p => p.s.TimestampMs).ThenBy(p => p.i).Select(p => p.s).ToList();
        samples.RemoveRange(start, samples.Count - start);
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i + 1 < sorted.Count && sorted[i + 1].TimestampMs == sorted[i].TimestampMs)
            {
                continue;
            }

            samples.Add(sorted[i]);
        }
    }

    /// <summary>
    /// The time (ms) below which chunks must go for the cache to fit <paramref name="budgetBytes"/> (to about 90% of
    /// it, so eviction does not run on every trim), or null when it fits. Chunks ending before the returned time
    /// are all dropped by <see cref="DropBefore"/>.
    /// </summary>
    public long? EvictionPoint(long budgetBytes)
    {
        var excess = MemoryBytes - budgetBytes;
        if (excess <= 0)
        {
            return null;
        }

        var target = excess + (budgetBytes / 10);
        var ends = new List<(long MaxTime, long Bytes)>((int)Math.Min(ChunkCount, int.MaxValue / 2));
        foreach (var chunks in _series.Values)
        {
            foreach (var chunk in chunks)
            {
                ends.Add((chunk.MaxTime, chunk.Data.Length + SeriesMemtable.ChunkOverheadBytes));
            }
        }

        ends.Sort(static (a, b) => a.MaxTime.CompareTo(b.MaxTime));
        long freed = 0;
        foreach (var (maxTime, bytes) in ends)
        {
            freed += bytes;
            if (freed >= target)
            {
                return maxTime == long.MaxValue ? maxTime : maxTime + 1;
            }
        }

        return long.MaxValue;
    }

    /// <summary>Drops every chunk whose samples are all older than <paramref name="cutoff"/> (ms).</summary>
    public void DropBefore(long cutoff)
    {
        lock (_writeLock)
        {
            foreach (var (id, chunks) in _series)
            {
                var count = 0;
                long bytes = 0;
                while (count < chunks.Length && chunks[count].MaxTime < cutoff)
                {
                    bytes += chunks[count].Data.Length;
                    count++;
                }

                if (count == 0)
                {
                    continue;
                }

                if (count == chunks.Length)
                {
                    _series.TryRemove(id, out _);
                }
                else
                {
                    _series[id] = chunks[count..];
                }

                Interlocked.Add(ref _encodedBytes, -bytes);
                Interlocked.Add(ref _chunkCount, -count);
            }
        }
    }
}
