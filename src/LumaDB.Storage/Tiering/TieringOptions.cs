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
}
