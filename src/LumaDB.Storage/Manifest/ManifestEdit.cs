using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Manifest;

/// <summary>One change to a shard's manifest. Edits are committed in groups that apply atomically.</summary>
public abstract record ManifestEdit
{
    private protected ManifestEdit()
    {
    }

    internal abstract ManifestEditKind Kind { get; }
}

/// <summary>A new local segment joins the shard (a flush or a compaction output).</summary>
/// <param name="Descriptor">The segment written.</param>
public sealed record SegmentAdded(SegmentDescriptor Descriptor) : ManifestEdit
{
    internal override ManifestEditKind Kind => ManifestEditKind.SegmentAdded;
}

/// <summary>A segment leaves the shard (compacted away or dropped by retention).</summary>
/// <param name="SegmentId">The segment removed.</param>
public sealed record SegmentRemoved(Guid SegmentId) : ManifestEdit
{
    internal override ManifestEditKind Kind => ManifestEditKind.SegmentRemoved;
}

/// <summary>A segment's bytes now live in the object store under <paramref name="ObjectKey"/>.</summary>
/// <param name="SegmentId">The segment tiered.</param>
/// <param name="ObjectKey">Its key in the object store.</param>
public sealed record SegmentMovedToCold(Guid SegmentId, string ObjectKey) : ManifestEdit
{
    internal override ManifestEditKind Kind => ManifestEditKind.SegmentMovedToCold;
}

/// <summary>Every WAL record up to and including <paramref name="Lsn"/> is in segments; replay starts after it.</summary>
/// <param name="Lsn">The last log sequence number made durable in segments.</param>
public sealed record FlushedUpTo(long Lsn) : ManifestEdit
{
    internal override ManifestEditKind Kind => ManifestEditKind.FlushedUpTo;
}

/// <summary>Type tags of edits on disk; never renumber.</summary>
internal enum ManifestEditKind : byte
{
    SegmentAdded = 1,
    SegmentRemoved = 2,
    SegmentMovedToCold = 3,
    FlushedUpTo = 4,
}
