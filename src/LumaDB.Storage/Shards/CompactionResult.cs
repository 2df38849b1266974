namespace LumaDB.Storage.Shards;

/// <summary>What one compaction did.</summary>
/// <param name="TableId">The table whose segments were merged.</param>
/// <param name="Inputs">Segments merged and removed.</param>
/// <param name="Output">The segment written, or null when every version merged away (only droppable tombstones).</param>
/// <param name="RowsRead">Versions read from the inputs.</param>
/// <param name="RowsWritten">Versions written to the output.</param>
public sealed record CompactionResult(ulong TableId, IReadOnlyList<Guid> Inputs, Guid? Output, long RowsRead, long RowsWritten);
