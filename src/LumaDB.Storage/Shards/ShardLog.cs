using Microsoft.Extensions.Logging;

namespace LumaDB.Storage.Shards;

/// <summary>Log messages of shards, source-generated so they cost nothing when disabled.</summary>
internal static partial class ShardLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Shard opened in {Directory}: {Segments} segments, replayed {Replayed} WAL records, removed {Orphans} orphan files, next seq {NextSeq}")]
    public static partial void Opened(ILogger logger, string directory, int segments, long replayed, int orphans, ulong nextSeq);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information,
        Message = "Shard flushed {Rows} versions into {Segments} segments up to seq {FlushedUpTo}")]
    public static partial void Flushed(ILogger logger, long rows, int segments, ulong flushedUpTo);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Background flush failed; it is retried at the next full memtable")]
    public static partial void BackgroundFlushFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information,
        Message = "Shard compacted {Inputs} segments of table {TableId}: {Read} versions read, {Written} written")]
    public static partial void Compacted(ILogger logger, ulong tableId, int inputs, long read, long written);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Could not delete object {Key} of a removed segment")]
    public static partial void ObjectDeleteFailed(ILogger logger, string key, Exception error);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information,
        Message = "Retention dropped {Segments} segments of table {TableId} older than {CutoffMicros}")]
    public static partial void RetentionDropped(ILogger logger, ulong tableId, int segments, long cutoffMicros);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Error, Message = "Background maintenance (compaction, retention or tiering) failed; it runs again at its next turn")]
    public static partial void MaintenanceFailed(ILogger logger, Exception error);
}
