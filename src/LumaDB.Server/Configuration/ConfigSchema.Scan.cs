namespace LumaDB.Server.Configuration;

/// <content>[storage] keys of the analytical scan path.</content>
public sealed partial class ConfigSchema
{
    private static void AddScan(List<ConfigKey> keys)
    {
        keys.Add(new ConfigKey("storage", "column_cache", ConfigValueKind.Size,
            "Memory for decoded segment column chunks that SQL scans reuse, so repeated analytical queries skip decompressing and decoding Parquet (about 50 bytes per row for six typical columns); 0 turns the cache off.",
            o => o.Storage.ColumnCache, (o, v) => o.Storage.ColumnCache = (long)v)
        { Minimum = 0, Maximum = 256L << 30 });
    }
}
