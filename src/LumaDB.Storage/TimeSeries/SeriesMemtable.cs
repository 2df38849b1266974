using System.Collections.Concurrent;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// The hot store for metric samples: per series id, Gorilla chunks closed every
/// <see cref="SeriesMemtableOptions.SamplesPerChunk"/> samples plus an open head chunk.
/// </summary>
/// <remarks>
/// Late samples inside <see cref="SeriesMemtableOptions.OutOfOrderWindowMs"/> go to a small sorted per-series
/// buffer that reads merge in (a late sample wins over an in-order one with the same timestamp); when the
/// buffer fills it is folded into the chunks by re-encoding the few chunks it overlaps. Older samples are
/// rejected with <see cref="SeriesAppendResult.TooOld"/>. Appends and reads of one series serialize on that
/// series' lock; different series never contend.
/// </remarks>
public sealed class SeriesMemtable : IDisposable
{
    /// <summary>Estimated bytes of a series' objects (dictionary entry, head, encoder, chunk list, buffer slack).</summary>
    public const int SeriesOverheadBytes = 320;

    /// <summary>Estimated bytes of a closed chunk's objects besides its data.</summary>
    public const int ChunkOverheadBytes = 64;

    // Series ids below this live in a plain array indexed by id (ids are handed out densely from 0); larger ones
    // in a dictionary. The array costs a slot per id instead of a dictionary node and is probed without hashing.
    private const int DenseLimit = 1 << 26;

    private readonly SeriesMemtableOptions _options;
    private readonly Lock _growLock = new();
    private readonly ConcurrentDictionary<ulong, SeriesHead> _sparse = new();
    private SeriesHead?[] _dense = new SeriesHead?[64];
    private int _denseCount;
    // Every append counts its bytes and sample: one set of counters per processor, on lines of their own, so
    // writers on different cores do not pass one cache line back and forth (a shared counter was a tenth of an
    // append's time at two writers).
    private readonly Counters[] _counters = new Counters[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64))];

    /// <summary>Creates an empty memtable.</summary>
    public SeriesMemtable(SeriesMemtableOptions? options = null)
    {
        _options = options ?? new SeriesMemtableOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.SamplesPerChunk);
    }

    /// <summary>The options every series follows.</summary>
    internal SeriesMemtableOptions Options => _options;

    /// <summary>Number of series held.</summary>
    public int SeriesCount => Volatile.Read(ref _denseCount) + _sparse.Count;

    /// <summary>
    /// Number of samples held. A late sample that rewrites an existing timestamp counts until the late buffer is
    /// folded into the chunks, where the duplicate goes away.
    /// </summary>
    public long SampleCount => Totals().Samples;

    /// <summary>Number of closed chunks held.</summary>
    public long ChunkCount => Totals().Chunks;

    /// <summary>Bytes of encoded sample data (chunks and late buffers).</summary>
    public long EncodedBytes => Totals().EncodedBytes;

    /// <summary>Estimated memory held: encoded data plus per-series and per-chunk object overhead.</summary>
    public long MemoryBytes
    {
        get
        {
            var totals = Totals();
            return totals.EncodedBytes + (totals.Chunks * ChunkOverheadBytes) + ((long)SeriesCount * SeriesOverheadBytes);
        }
    }

    /// <summary>Encoded bytes per sample: the compression the chunks achieve.</summary>
    public double BytesPerSample
    {
        get
        {
            var totals = Totals();
            return totals.Samples == 0 ? 0 : (double)totals.EncodedBytes / totals.Samples;
        }
    }

    /// <summary>The ids of all series held.</summary>
    public IEnumerable<ulong> SeriesIds => All().Select(static s => s.Id);

    /// <summary>Levels of <see cref="Prefetch"/>: the id's slot, the head, its encoder, the encoder's writer, the writer's tail.</summary>
    public const int PrefetchLevels = 5;

    /// <summary>
    /// Levels of <see cref="Prefetch"/> that <see cref="Check"/> touches: the slot, the head and its encoder (a check
    /// reads the head and locks the encoder, but writes no bits).
    /// </summary>
    public const int CheckPrefetchLevels = 3;

    /// <summary>
    /// Asks the processor to load one level of what an append to <paramref name="seriesId"/> touches: level 0 the
    /// array slot that holds the series, 1 its head object, 2 the head's encoder, 3 the encoder's bit writer, 4 the
    /// line the next bits go to. Each level reads the references the level before it loaded, so a caller walking a
    /// batch issues the last level for the series a little ahead, the one before it for a series further on, and
    /// so on; the appends then find their series in cache instead of waiting on five dependent memory loads each.
    /// A hint: it changes nothing and takes no lock.
    /// </summary>
    public void Prefetch(ulong seriesId, int level)
    {
        var dense = Volatile.Read(ref _dense);
        if (seriesId >= (ulong)dense.Length)
        {
            return;
        }

        if (level == 0)
        {
            PrefetchLine.At(ref dense[(int)seriesId]);
        }
        else if (Volatile.Read(ref dense[(int)seriesId]) is { } series)
        {
            series.Prefetch(level - 1);
        }
    }

    /// <summary>Appends a sample to a series, creating the series on first use.</summary>
    public SeriesAppendResult Append(ulong seriesId, long timestampMs, double value)
    {
        var series = Find(seriesId) ?? Create(seriesId);
        return series.Append(timestampMs, value);
    }

    /// <summary>What <see cref="Append"/> would do with the sample, without changing anything.</summary>
    public SeriesAppendResult Check(ulong seriesId, long timestampMs, double value) =>
        Find(seriesId) is { } series ? series.Check(timestampMs, value) : SeriesAppendResult.Appended;

    /// <summary>
    /// Appends the samples of <paramref name="seriesId"/> with timestamps in [<paramref name="mint"/>,
    /// <paramref name="maxt"/>] to <paramref name="into"/> in time order; returns how many were added.
    /// </summary>
    public int Read(ulong seriesId, long mint, long maxt, List<Sample> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (Find(seriesId) is not { } series)
        {
            return 0;
        }

        var before = into.Count;
        series.Read(mint, maxt, into);
        return into.Count - before;
    }

    /// <summary>
    /// Drops closed chunks older than <paramref name="cutoff"/> (ms) that are persisted (see
    /// <see cref="GorillaChunk.IsPersisted"/>), stopping per series at the first one that is not, handing each to
    /// <paramref name="dropped"/> when given.
    /// </summary>
    public void DropPersistedChunksBefore(long cutoff, Action<ulong, GorillaChunk>? dropped)
    {
        foreach (var (id, series) in All())
        {
            series.DropPersistedBefore(cutoff, dropped is null ? null : chunk => dropped(id, chunk));
        }
    }

    /// <summary>
    /// Every chunk a checkpoint has to store so that the samples held are all persisted: closed chunks not yet
    /// persisted (late samples folded in first) and copies of head chunks that grew since the last checkpoint. They
    /// come in slices of about <paramref name="sliceBytes"/> bytes of chunk data, so a checkpoint stores each slice
    /// and passes it to <see cref="MarkPersisted"/> before taking the next, and the head copies it makes never add
    /// up to a second hot tier. The list is reused: it is valid until the enumeration moves on. Series created
    /// meanwhile may or may not be visited.
    /// </summary>
    public IEnumerable<IReadOnlyList<PendingChunk>> CollectUnpersistedInSlices(long sliceBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sliceBytes);
        var slice = new List<PendingChunk>();
        long bytes = 0;
        foreach (var (id, series) in All())
        {
            var before = slice.Count;
            series.CollectUnpersisted(id, slice);
            for (var i = before; i < slice.Count; i++)
            {
                bytes += slice[i].Chunk.Data.Length;
            }

            if (bytes >= sliceBytes)
            {
                yield return slice;
                slice.Clear();
                bytes = 0;
            }
        }

        if (slice.Count > 0)
        {
            yield return slice;
        }
    }

    /// <summary>
    /// The earliest first timestamp of an open head chunk, or null when every head is empty: stored rows of chunks
    /// that ended before it are never rewritten by a later checkpoint.
    /// </summary>
    public long? OldestHeadTime()
    {
        long? oldest = null;
        foreach (var (_, series) in All())
        {
            if (series.HeadMinTime is { } min && (oldest is null || min < oldest))
            {
                oldest = min;
            }
        }

        return oldest;
    }

    /// <summary>Records that the chunks a <see cref="CollectUnpersistedInSlices"/> slice held are stored.</summary>
    public static void MarkPersisted(IEnumerable<PendingChunk> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var pending in stored)
        {
            if (pending.Head is { } head)
            {
                head.MarkHeadPersisted(pending.HeadGeneration, pending.Chunk.Count);
            }
            else
            {
                pending.Chunk.MarkPersisted();
            }
        }
    }

    /// <summary>
    /// Takes a stored chunk of a series back (recovery, in time order per series): kept as a persisted closed chunk
    /// when it follows every sample the series holds, else its samples are appended.
    /// </summary>
    public void Adopt(ulong seriesId, GorillaChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var series = Find(seriesId) ?? Create(seriesId);
        series.Adopt(chunk);
    }

    /// <summary>Returns the pooled chunk buffers.</summary>
    public void Dispose()
    {
        foreach (var (_, series) in All())
        {
            series.Dispose();
        }
    }

    private SeriesHead? Find(ulong seriesId)
    {
        if (seriesId < DenseLimit)
        {
            var dense = Volatile.Read(ref _dense);
            return seriesId < (ulong)dense.Length ? Volatile.Read(ref dense[(int)seriesId]) : null;
        }

        return _sparse.TryGetValue(seriesId, out var series) ? series : null;
    }

    private SeriesHead Create(ulong seriesId)
    {
        if (seriesId >= DenseLimit)
        {
            return _sparse.GetOrAdd(seriesId, static (_, owner) => new SeriesHead(owner), this);
        }

        lock (_growLock)
        {
            var dense = _dense;
            var slot = (int)seriesId;
            if (slot >= dense.Length)
            {
                // Readers holding the old array miss only series created after the copy; creation takes this lock.
                var larger = new SeriesHead?[Math.Min(DenseLimit, Math.Max(slot + 1, dense.Length * 2))];
                dense.CopyTo(larger, 0);
                Volatile.Write(ref _dense, larger);
                dense = larger;
            }

            if (dense[slot] is not { } series)
            {
                series = new SeriesHead(this);
                Volatile.Write(ref dense[slot], series);
                Interlocked.Increment(ref _denseCount);
            }

            return series;
        }
    }

    /// <summary>Every series with its id: the dense ones in id order, then the others.</summary>
    private IEnumerable<(ulong Id, SeriesHead Series)> All()
    {
        var dense = Volatile.Read(ref _dense);
        for (var i = 0; i < dense.Length; i++)
        {
            if (Volatile.Read(ref dense[i]) is { } series)
            {
                yield return ((ulong)i, series);
            }
        }

        foreach (var (id, series) in _sparse)
        {
            yield return (id, series);
        }
    }

    internal void Account(long encodedBytes, long chunks, long samples)
    {
        ref var counters = ref _counters[Thread.GetCurrentProcessorId() & (_counters.Length - 1)];
        if (encodedBytes != 0)
        {
            Interlocked.Add(ref counters.EncodedBytes, encodedBytes);
        }

        if (chunks != 0)
        {
            Interlocked.Add(ref counters.Chunks, chunks);
        }

        if (samples != 0)
        {
            Interlocked.Add(ref counters.Samples, samples);
        }
    }

    private (long EncodedBytes, long Chunks, long Samples) Totals()
    {
        long bytes = 0, chunks = 0, samples = 0;
        for (var i = 0; i < _counters.Length; i++)
        {
            ref var counters = ref _counters[i];
            bytes += Interlocked.Read(ref counters.EncodedBytes);
            chunks += Interlocked.Read(ref counters.Chunks);
            samples += Interlocked.Read(ref counters.Samples);
        }

        return (bytes, chunks, samples);
    }

    /// <summary>One processor's share of the counts; the padding keeps neighbours off its cache lines.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct Counters
    {
        [System.Runtime.InteropServices.FieldOffset(0)]
        public long EncodedBytes;

        [System.Runtime.InteropServices.FieldOffset(8)]
        public long Chunks;

        [System.Runtime.InteropServices.FieldOffset(16)]
        public long Samples;
    }
}
