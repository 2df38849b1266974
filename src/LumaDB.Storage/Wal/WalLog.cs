using Microsoft.Extensions.Logging;

namespace LumaDB.Storage.Wal;

/// <summary>Log messages of the write-ahead log, source-generated so they cost nothing when disabled.</summary>
internal static partial class WalLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "WAL segment {Path} has a torn or corrupt tail at offset {Offset} ({Reason}); cutting {Dropped} bytes")]
    public static partial void TornTail(ILogger logger, string path, long offset, string reason, long dropped);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "WAL opened in {Directory}: {Segments} segments, next LSN {NextLsn}, replayed {Replayed} records")]
    public static partial void Opened(ILogger logger, string directory, int segments, ulong nextLsn, long replayed);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error,
        Message = "WAL write failed; the log refuses further appends until reopened")]
    public static partial void WriteFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "WAL deleted segment {Path}")]
    public static partial void SegmentDeleted(ILogger logger, string path);
}
