namespace LumaDB.Storage.TimeSeries;

/// <summary>A closed, immutable run of Gorilla-encoded samples of one series.</summary>
public sealed class GorillaChunk
{
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

    /// <summary>Returns a non-allocating iterator over the samples.</summary>
    public GorillaChunkIterator GetIterator() => new(Data, Count);
}
