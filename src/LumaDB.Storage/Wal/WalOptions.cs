namespace LumaDB.Storage.Wal;

/// <summary>Settings of one shard's write-ahead log.</summary>
public sealed class WalOptions
{
    /// <summary>Directory holding the segment files; created when missing.</summary>
    public required string Directory { get; init; }

    /// <summary>A segment is closed and a new one started once it would grow past this size.</summary>
    public long SegmentSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Durability policy for acknowledged appends.</summary>
    public WalFsyncMode FsyncMode { get; init; } = WalFsyncMode.Always;

    /// <summary>Longest time written data stays without fsync under <see cref="WalFsyncMode.Interval"/>.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Largest payload accepted. Recovery also uses it to tell a corrupt length field from a real record.
    /// </summary>
    public int MaxRecordBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most bytes one group commit writes before it syncs and acknowledges.</summary>
    public int MaxBatchBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Clock for the fsync interval; replaced in tests so time moves only when they say.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The file system; replaced in tests to inject faults and count syncs.</summary>
    public IWalFileSystem FileSystem { get; init; } = LocalWalFileSystem.Instance;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentSizeBytes, WalRecordFormat.HeaderSize + 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRecordBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBatchBytes);
        if (FsyncMode == WalFsyncMode.Interval && FsyncInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FsyncInterval), "The fsync interval must be positive.");
        }
    }
}
