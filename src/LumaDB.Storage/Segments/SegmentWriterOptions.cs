namespace LumaDB.Storage.Segments;

/// <summary>How segment files are laid out.</summary>
public sealed class SegmentWriterOptions
{
    /// <summary>Rows per row group: the unit that scans skip or read. Smaller skips finer, larger compresses better.</summary>
    public int RowGroupSize { get; init; } = 64 * 1024;

    /// <summary>Page compression.</summary>
    public SegmentCompression Compression { get; init; } = SegmentCompression.Snappy;

    /// <summary>
    /// Check that rows arrive in strictly increasing primary-key order; a segment whose key bounds lie would make
    /// key-range scans silently miss rows, so this is on unless the caller has already proven the order.
    /// </summary>
    public bool VerifyKeyOrder { get; init; } = true;
}

/// <summary>Page compression of segment files.</summary>
public enum SegmentCompression
{
    /// <summary>No compression.</summary>
    None = 0,

    /// <summary>Snappy: fast, moderate ratio.</summary>
    Snappy = 1,

    /// <summary>Gzip: slower, better ratio.</summary>
    Gzip = 2,

    /// <summary>Zstandard.</summary>
    Zstd = 3,
}
