namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// A closed, immutable run of samples of one series: Gorilla bytes, or the smaller decimal-delta form of
/// <see cref="StoredChunkCodec"/> that the hot tier keeps closed chunks in (see <see cref="FromStored"/>).
/// </summary>
public sealed class GorillaChunk
{
    private readonly bool _decimal;
    private readonly bool _stored;
    private volatile bool _persisted;

    /// <summary>Wraps Gorilla-encoded bytes.</summary>
    public GorillaChunk(byte[] data, int count, long minTime, long maxTime)
        : this(data, count, minTime, maxTime, isDecimal: false, isStored: false)
    {
    }

    private GorillaChunk(byte[] data, int count, long minTime, long maxTime, bool isDecimal, bool isStored)
    {
        Data = data;
        Count = count;
        MinTime = minTime;
        MaxTime = maxTime;
        _decimal = isDecimal;
        _stored = isStored;
    }

    /// <summary>
    /// Wraps bytes in their stored form (<see cref="StoredChunkCodec"/>: the decimal-delta form when they begin with
    /// its marker, else Gorilla bytes), which is what they are written to disk as.
    /// </summary>
    public static GorillaChunk FromStored(byte[] stored, int count, long minTime, long maxTime)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new(stored, count, minTime, maxTime, StoredChunkCodec.IsDecimal(stored), isStored: true);
    }

    /// <summary>The encoded bytes: Gorilla bytes, or the decimal-delta form when <see cref="IsDecimalForm"/>.</summary>
    public byte[] Data { get; }

    /// <summary>Whether <see cref="Data"/> holds the decimal-delta form rather than Gorilla bytes.</summary>
    public bool IsDecimalForm => _decimal;

    /// <summary>
    /// Whether <see cref="Data"/> is already the stored form (the chunk came from <see cref="FromStored"/>), so
    /// storing the chunk writes it as it is instead of encoding it again.
    /// </summary>
    public bool IsStoredForm => _stored;

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Timestamp of the first sample (ms).</summary>
    public long MinTime { get; }

    /// <summary>Timestamp of the last sample (ms).</summary>
    public long MaxTime { get; }

    /// <summary>
    /// Whether the chunk's samples are stored durably elsewhere (written by a checkpoint, or loaded from storage),
    /// so the hot tier may drop it and the next checkpoint skips it.
    /// </summary>
    public bool IsPersisted => _persisted;

    /// <summary>Records that the chunk's samples are stored durably elsewhere.</summary>
    public void MarkPersisted() => _persisted = true;

    /// <summary>Returns a non-allocating iterator over the samples.</summary>
    public GorillaChunkIterator GetIterator() => _decimal ? GorillaChunkIterator.OverDecimal(Data, Count) : new(Data, Count);

    /// <summary>Appends the chunk's samples with timestamps in [<paramref name="mint"/>, <paramref name="maxt"/>] to <paramref name="into"/>, in time order.</summary>
    public void AppendRange(long mint, long maxt, List<Sample> into) => GetIterator().AppendRange(mint, maxt, into);
}
