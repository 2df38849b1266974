namespace LumaDB.Storage.TimeSeries;

/// <summary>A closed, immutable run of Gorilla-encoded samples of one series.</summary>
public sealed class GorillaChunk
{
    private volatile bool _persisted;

    /// <summary>Wraps encoded bytes.</summary>
    public GorillaChunk(byte[] data, int count, long minTime, long maxTime)
    {
        Data = data;
        Count = count;
        MinTime = minTime;
        MaxTime = maxTime;
    }

    /// <summary>The encoded bytes.</summary>
    public byte[] Data { get; }

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
    public GorillaChunkIterator GetIterator() => new(Data, Count);

    /// <summary>Appends the chunk's samples with timestamps in [<paramref name="mint"/>, <paramref name="maxt"/>] to <paramref name="into"/>, in time order.</summary>
    public void AppendRange(long mint, long maxt, List<Sample> into) => GetIterator().AppendRange(mint, maxt, into);
}
