using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Manifest;

/// <summary>Where a segment's bytes live.</summary>
public enum SegmentLocation : byte
{
    /// <summary>A file in the shard's segment directory (warm tier).</summary>
    Local = 1,

    /// <summary>An object in the object store (cold tier), read through the local cache.</summary>
    Cold = 2,
}

/// <summary>One live segment of a shard as the manifest records it.</summary>
/// <param name="Descriptor">What the segment holds.</param>
/// <param name="Location">Warm (local file) or cold (object store).</param>
/// <param name="ObjectKey">Key in the object store once cold; null while local.</param>
public sealed record SegmentEntry(SegmentDescriptor Descriptor, SegmentLocation Location, string? ObjectKey)
{
    /// <summary>The segment id.</summary>
    public Guid Id => Descriptor.Id;
}
