namespace LumaDB.Server.Configuration;

/// <summary>The [sql] section: execution of SQL statements.</summary>
public sealed partial class ConfigSchema
{
    private static void AddSql(List<ConfigKey> keys, Dictionary<string, string> descriptions)
    {
        descriptions["sql"] = "Execution of SQL statements (PostgreSQL wire).";
        keys.Add(new ConfigKey("sql", "parallel_workers", ConfigValueKind.Integer,
            "Most threads one query may use to scan, filter, probe hash joins and aggregate a large table (the connection's own thread included); 0 uses one per processor, 1 runs every query on one thread.",
            o => o.Sql.ParallelWorkers, (o, v) => o.Sql.ParallelWorkers = (long)v)
        { Minimum = 0, Maximum = 256 });
    }
}
