namespace LumaDB.Storage.Segments;

/// <summary>
/// What the manifest knows about one immutable segment file without opening it: identity, size and checksum (to
/// verify copies), and key and time bounds (to skip it, or some of its row groups, for a scan).
/// </summary>
/// <param name="Id">Segment id; time-ordered (UUID v7).</param>
/// <param name="FileName">File name relative to the shard's segment directory.</param>
/// <param name="RowCount">Rows in the segment.</param>
/// <param name="ByteSize">File size in bytes.</param>
/// <param name="Crc32C">CRC32C of the whole file.</param>
/// <param name="MinKey">Smallest encoded primary key.</param>
/// <param name="MaxKey">Largest encoded primary key.</param>
/// <param name="MinTimeMicros">Smallest time, when the schema has a time column with values.</param>
/// <param name="MaxTimeMicros">Largest time.</param>
/// <param name="RowGroups">Per-row-group bounds, in file order.</param>
public sealed record SegmentDescriptor(
    Guid Id,
    string FileName,
    long RowCount,
    long ByteSize,
    uint Crc32C,
    byte[] MinKey,
    byte[] MaxKey,
    long? MinTimeMicros,
    long? MaxTimeMicros,
    IReadOnlyList<RowGroupRange> RowGroups)
{
    /// <summary>
    /// Whether the segment may hold rows for <paramref name="scan"/>, judged from its key and time bounds alone,
    /// so a query opens only the segments it overlaps. Column predicates are left to the row groups.
    /// </summary>
    public bool MayMatch(SegmentScan scan)
    {
        if (scan.Time is { } time && !(MinTimeMicros is { } min && MaxTimeMicros is { } max && time.Overlaps(min, max)))
        {
            return false;
        }

        return scan.Keys is not { } keys || keys.Overlaps(MinKey, MaxKey);
    }

    /// <summary>The file name a segment with this id gets.</summary>
    public static string FileNameFor(Guid id) => id.ToString("N") + ".parquet";
}
