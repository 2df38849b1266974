namespace LumaDB.Storage.Tiering;

/// <summary>How segments move to the cold tier.</summary>
public sealed class TieringOptions
{
    /// <summary>Prefix of object keys, e.g. "shards/0007/" so that shards share a bucket.</summary>
    public string KeyPrefix { get; init; } = "segments/";

    /// <summary>
    /// Download the uploaded object and compare its CRC32C with the segment's before trusting it. Costs one
    /// read of the segment; the size is always compared.
    /// </summary>
    public bool VerifyChecksum { get; init; } = true;

    /// <summary>
    /// Age after which a warm segment moves to the cold tier on the shard's maintenance schedule, judged by its
    /// newest time-column value; null moves nothing on a schedule (segments of tables without a time column never move).
    /// </summary>
    public TimeSpan? MoveAfter { get; init; }
}
