using LumaDB.Storage.Manifest;
using LumaDB.Storage.Memtables;

namespace LumaDB.Storage.Shards;

/// <summary>
/// What a reader sees of a shard at one moment: the active memtable, the frozen ones waiting for (or in) a
/// flush, newest first, and the live segments. Immutable; a flush publishes a new view, so a reader that took
/// the old one keeps reading the frozen memtable it flushed.
/// </summary>
/// <param name="Active">The memtable commits apply to.</param>
/// <param name="Frozen">Frozen memtables, newest first.</param>
/// <param name="Segments">Live segments of every table.</param>
/// <param name="OldestSnapshot">
/// The oldest snapshot seq reads are correct for: flush and compaction keep, per key, the versions above the
/// retention horizon of the moment plus the newest at or below it, so a snapshot below the highest horizon
/// used so far could miss a version they dropped. Registered snapshots are never below it.
/// </param>
/// <param name="FlushedSeq">Every commit in the segments has a seq at or below this; newer ones are in the memtables.</param>
internal sealed record ShardView(RowMemtable Active, FrozenMemtable[] Frozen, SegmentEntry[] Segments, ulong OldestSnapshot, ulong FlushedSeq);

/// <summary>A memtable that takes no more writes, and the last seq below which every commit is in it or older data.</summary>
/// <param name="Memtable">The frozen memtable.</param>
/// <param name="FlushedUpTo">Every commit at or below this seq is in this memtable or in older memtables and segments.</param>
internal sealed record FrozenMemtable(RowMemtable Memtable, ulong FlushedUpTo);
