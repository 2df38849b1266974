namespace LumaDB.Storage.TimeSeries;

/// <summary>Settings of a <see cref="SeriesMemtable"/>.</summary>
public sealed class SeriesMemtableOptions
{
    /// <summary>A chunk is closed after this many samples (120 keeps a 15 s series in 30-minute chunks).</summary>
    public int SamplesPerChunk { get; init; } = 120;

    /// <summary>
    /// How far (ms) behind a series' newest sample a late sample is still accepted; 0 rejects every late sample.
    /// </summary>
    public long OutOfOrderWindowMs { get; init; } = 5 * 60 * 1000;

    /// <summary>Late samples buffered per series before they are merged into the chunks.</summary>
    public int OutOfOrderCapacity { get; init; } = 32;
}
