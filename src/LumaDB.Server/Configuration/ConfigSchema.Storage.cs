namespace LumaDB.Server.Configuration;

/// <content>[storage] keys.</content>
public sealed partial class ConfigSchema
{
    private static void AddStorage(List<ConfigKey> keys, Dictionary<string, string> descriptions)
    {
        descriptions["storage"] = "Durability and memory of the storage engine.";
        keys.Add(new ConfigKey("storage", "fsync", ConfigValueKind.Enum,
            "When a commit is forced to disk before it is acknowledged: \"always\" (no acknowledged write is lost on a crash or power loss), \"interval\" (at most fsync_interval of acknowledged writes lost on power loss; a process crash loses nothing), or \"never\" (fsync only at shutdown).",
            o => o.Storage.Fsync, (o, v) => o.Storage.Fsync = (string)v)
        { AllowedValues = [.. StorageSection.FsyncWords.Keys] });
        keys.Add(new ConfigKey("storage", "fsync_interval", ConfigValueKind.Duration,
            "With fsync = \"interval\", the longest time written commits wait for an fsync.",
            o => o.Storage.FsyncInterval, (o, v) => o.Storage.FsyncInterval = (TimeSpan)v)
        { Minimum = 1, Maximum = (long)TimeSpan.FromMinutes(1).TotalMilliseconds });
        keys.Add(new ConfigKey("storage", "memtable_budget", ConfigValueKind.Size,
            "Memory of recent writes after which they are flushed to segment files and the WAL is truncated.",
            o => o.Storage.MemtableBudget, (o, v) => o.Storage.MemtableBudget = (long)v)
        { Minimum = 1L << 20, Maximum = LumaDB.Storage.Memtables.RowMemtable.MaxBudgetBytes });
        keys.Add(new ConfigKey("storage", "wal_segment_size", ConfigValueKind.Size,
            "Size at which the write-ahead log starts a new file; flushes delete whole files.",
            o => o.Storage.WalSegmentSize, (o, v) => o.Storage.WalSegmentSize = (long)v)
        { Minimum = 1L << 20, Maximum = 4L << 30 });
        keys.Add(new ConfigKey("storage", "row_group_cache", ConfigValueKind.Size,
            "Memory for decoded segment row groups that primary-key lookups reuse, so repeated reads of flushed rows skip decoding; 0 turns the cache off.",
            o => o.Storage.RowGroupCache, (o, v) => o.Storage.RowGroupCache = (long)v)
        { Minimum = 0, Maximum = 64L << 30 });
    }
}
