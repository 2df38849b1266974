namespace LumaDB.Storage.Segments;

/// <summary>Row count and primary-key and time bounds of one row group; enough to decide whether to read it.</summary>
/// <param name="RowCount">Rows in the row group.</param>
/// <param name="MinKey">Encoded key of its first row (see <see cref="Memtables.KeyEncoding"/>).</param>
/// <param name="MaxKey">Encoded key of its last row.</param>
/// <param name="MinTimeMicros">Smallest non-null time, when the segment has a time column with values here.</param>
/// <param name="MaxTimeMicros">Largest non-null time.</param>
public sealed record RowGroupRange(long RowCount, byte[] MinKey, byte[] MaxKey, long? MinTimeMicros, long? MaxTimeMicros)
{
    /// <summary>Whether the row group may hold a time in <paramref name="time"/> (false without time bounds).</summary>
    public bool MayHoldTimes(TimeRange time) => MinTimeMicros is { } min && MaxTimeMicros is { } max && time.Overlaps(min, max);
}
