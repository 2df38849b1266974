namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// A chunk a checkpoint has to store: a closed chunk not yet persisted, or a copy of a series' open head chunk.
/// Handed back to <see cref="SeriesMemtable.MarkPersisted"/> once stored.
/// </summary>
public sealed class PendingChunk
{
    internal PendingChunk(ulong seriesId, GorillaChunk chunk, SeriesHead? head, long headGeneration)
    {
        SeriesId = seriesId;
        Chunk = chunk;
        Head = head;
        HeadGeneration = headGeneration;
    }

    /// <summary>The series the chunk belongs to.</summary>
    public ulong SeriesId { get; }

    /// <summary>The samples to store.</summary>
    public GorillaChunk Chunk { get; }

    /// <summary>Whether this is a copy of the open head chunk (which keeps growing after the checkpoint).</summary>
    public bool IsHead => Head is not null;

    internal SeriesHead? Head { get; }

    internal long HeadGeneration { get; }
}
