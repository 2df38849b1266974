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
}
