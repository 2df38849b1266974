namespace LumaDB.Storage.Shards;

/// <summary>
/// How one table's segments are compacted, where it differs from the shard's <see cref="CompactionOptions"/>
/// (<see cref="Shard.SetCompaction"/>).
/// </summary>
/// <param name="MinSegments">
/// Similar-sized segments a tier needs before it is merged; null keeps the shard's. Append-mostly tables with few
/// point reads (spans, log records) merge less often with a larger number: each merge rewrites every row it
/// reads, and a row is rewritten about once per tier it climbs.
/// </param>
/// <param name="TimeWindow">
/// When set (on a table with a time column), only segments whose newest time falls in the same window of this
/// length (counted from the Unix epoch) are merged together. Retention drops whole segments by their newest time,
/// so without windows a long-lived table's old rows end up in segments with new ones and never expire.
/// </param>
public sealed record TableCompaction(int? MinSegments = null, TimeSpan? TimeWindow = null)
{
    internal void Validate()
    {
        if (MinSegments is { } min)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(min, 2, nameof(MinSegments));
        }

        if (TimeWindow is { } window)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(1), nameof(TimeWindow));
        }
    }
}
