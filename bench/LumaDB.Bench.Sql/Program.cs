using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using LumaDB.Engine.Hosting;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Shards;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

// Runs the same four analytical queries on the same generated tables in LumaDB (in-process Database + SqlSession,
// rows read back from flushed segments) and DuckDB (in-memory), and prints per-query median times and the
// LumaDB/DuckDB ratio.
//   --rows N     fact table rows (default 10,000,000)
//   --dims N     dimension table rows (default 100,000)
//   --runs N     timed runs per query and engine (default 5; one untimed warm-up run comes first)
//   --work-mem N LumaDB query working-memory limit in MiB (default: the session's default)
//   --query N    run only query N (1-4; default all)
//   --duckdb 0   skip DuckDB (profiling LumaDB alone)
//   --workers N  LumaDB parallel workers per query (default: the session's, one per processor; 1 is serial)
//   --explain 1  print LumaDB's EXPLAIN ANALYZE of each query before timing it
var rows = 10_000_000;
var dims = 100_000;
var runs = 5;
long? workMemoryMiB = null;
var only = 0;
var withDuck = true;
int? workers = null;
var explain = false;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var value = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--rows": rows = (int)value; break;
        case "--dims": dims = (int)value; break;
        case "--runs": runs = (int)value; break;
        case "--work-mem": workMemoryMiB = value; break;
        case "--query": only = (int)value; break;
        case "--duckdb": withDuck = value != 0; break;
        case "--workers": workers = (int)value; break;
        case "--explain": explain = value != 0; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

const int Categories = 1000;
const long BaseMicros = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z

// One deterministic generator feeds both engines, so the tables are identical.
static (long Id, long Ts, int Device, string Category, double Value, int Qty) FactRow(long i, int dims)
{
    var h = (ulong)i * 0x9E3779B97F4A7C15UL;
    h ^= h >> 29;
    return (i, BaseMicros + (i * 1000), (int)(h % (ulong)dims), "cat-" + ((h >> 20) % Categories).ToString("D4", CultureInfo.InvariantCulture),
        ((h >> 11) % 1_000_000) / 1000.0, (int)((h >> 40) % 100));
}

string[] queries =
[
    "SELECT id, value, qty FROM facts WHERE device = 4242 AND qty < 50",
    "SELECT category, count(*), sum(value), avg(value), min(qty), max(ts) FROM facts GROUP BY category",
    "SELECT id, value FROM facts ORDER BY value DESC, id LIMIT 10",
    "SELECT d.region, count(*), sum(f.value) FROM facts f JOIN dims d ON f.device = d.device WHERE d.weight < 0.5 GROUP BY d.region",
];
string[] names = ["filtered scan", "group by (5 aggs)", "top-k", "hash join"];

var directory = Directory.CreateTempSubdirectory("luma-bench-sql-").FullName;
try
{
    Console.WriteLine($"rows={rows:N0} dims={dims:N0} runs={runs}");
    var database = new Database(directory, new DatabaseOptions { FsyncMode = WalFsyncMode.Never }, NullLogger<Database>.Instance);
    await database.RecoverAsync(CancellationToken.None);
    await using (database.ConfigureAwait(false))
    {
        var session = new SqlSession(database);
        if (workers is { } count)
        {
            session.ParallelWorkers = count;
        }

        if (workMemoryMiB is { } mib)
        {
            session.WorkMemoryBytes = mib * 1024 * 1024;
        }

        var load = Stopwatch.StartNew();
        await RunLumaAsync(session, "CREATE TABLE facts (id bigint PRIMARY KEY, ts timestamptz NOT NULL, device int NOT NULL, category text NOT NULL, value double precision NOT NULL, qty int NOT NULL)");
        await RunLumaAsync(session, "CREATE TABLE dims (device int PRIMARY KEY, region text NOT NULL, weight double precision NOT NULL)");
        var facts = database.Catalog.FindTable("public", "facts")!.Layout;
        var dimTable = database.Catalog.FindTable("public", "dims")!.Layout;
        var batch = new WriteBatch();
        var row = new RowBuilder(facts);
        for (long i = 0; i < rows; i++)
        {
            var f = FactRow(i, dims);
            row.Reset();
            row.SetInt64(0, f.Id).SetTimestamp(1, f.Ts).SetInt32(2, f.Device).SetText(3, f.Category).SetFloat64(4, f.Value).SetInt32(5, f.Qty);
            batch.Put(row);
            if (batch.Count == 50_000)
            {
                await database.AppendAsync(batch);
                batch = new WriteBatch();
            }
        }

        var dimRow = new RowBuilder(dimTable);
        for (var d = 0; d < dims; d++)
        {
            dimRow.Reset();
            dimRow.SetInt32(0, d).SetText(1, "region-" + (d % 10).ToString(CultureInfo.InvariantCulture)).SetFloat64(2, (d % 100) / 100.0);
            batch.Put(dimRow);
        }

        await database.AppendAsync(batch);
        await database.FlushAsync();
        Console.WriteLine($"LumaDB load + flush: {load.Elapsed.TotalSeconds:F1} s");

        load.Restart();
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        RunDuck(duck, "CREATE TABLE facts (id BIGINT PRIMARY KEY, ts TIMESTAMPTZ NOT NULL, device INTEGER NOT NULL, category VARCHAR NOT NULL, value DOUBLE NOT NULL, qty INTEGER NOT NULL)");
        RunDuck(duck, "CREATE TABLE dims (device INTEGER PRIMARY KEY, region VARCHAR NOT NULL, weight DOUBLE NOT NULL)");
        using (var appender = duck.CreateAppender("facts"))
        {
            for (long i = 0; i < (withDuck ? rows : 0); i++)
            {
                var f = FactRow(i, dims);
                appender.CreateRow().AppendValue(f.Id).AppendValue(DateTimeOffset.UnixEpoch.AddTicks(f.Ts * 10).UtcDateTime)
                    .AppendValue(f.Device).AppendValue(f.Category).AppendValue(f.Value).AppendValue(f.Qty).EndRow();
            }
        }

        using (var appender = duck.CreateAppender("dims"))
        {
            for (var d = 0; d < (withDuck ? dims : 0); d++)
            {
                appender.CreateRow().AppendValue(d).AppendValue("region-" + (d % 10).ToString(CultureInfo.InvariantCulture)).AppendValue((d % 100) / 100.0).EndRow();
            }
        }

        Console.WriteLine($"DuckDB load: {load.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine();
        Console.WriteLine($"{"query",-20} {"LumaDB ms",12} {"DuckDB ms",12} {"ratio",8}  rows");
        for (var q = 0; q < queries.Length; q++)
        {
            if (only > 0 && q != only - 1)
            {
                continue;
            }

            if (explain)
            {
                Console.WriteLine(await ExplainAsync(session, queries[q]));
            }

            var luma = new List<double>();
            var duckTimes = new List<double>();
            long lumaRows = 0;
            long duckRows = 0;
            string? failure = null;
            for (var run = 0; run <= runs; run++)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    lumaRows = await RunLumaAsync(session, queries[q]);
                }
                catch (SqlException error)
                {
                    failure = $"{error.SqlState}: {error.Message}";
                    break;
                }

                if (run > 0)
                {
                    luma.Add(watch.Elapsed.TotalMilliseconds);
                }

                watch.Restart();
                duckRows = withDuck ? RunDuck(duck, queries[q]) : 0;
                if (run > 0)
                {
                    duckTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            if (failure is not null)
            {
                Console.WriteLine($"{names[q],-20} {"failed",12} {"",12} {"",8}  {failure}");
                continue;
            }

            var lm = Median(luma);
            var dm = Median(duckTimes);
            Console.WriteLine($"{names[q],-20} {lm,12:F1} {dm,12:F1} {lm / dm,8:F1}  {lumaRows}/{duckRows}");
        }
    }
}
finally
{
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
    }
}

return 0;

static double Median(List<double> values)
{
    values.Sort();
    return values.Count == 0 ? double.NaN : values[values.Count / 2];
}

static async Task<long> RunLumaAsync(SqlSession session, string sql)
{
    var prepared = session.Prepare(sql);
    var result = await session.ExecuteAsync(prepared, []);
    long count = 0;
    if (result.Rows is not null)
    {
        await foreach (var batch in result.Rows)
        {
            count += batch.RowCount;
        }
    }

    return count;
}

static async Task<string> ExplainAsync(SqlSession session, string sql)
{
    var prepared = session.Prepare("EXPLAIN ANALYZE " + sql);
    var result = await session.ExecuteAsync(prepared, []);
    var text = new System.Text.StringBuilder();
    if (result.Rows is not null)
    {
        await foreach (var batch in result.Rows)
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                text.AppendLine(batch.Columns[0].GetValue(r)?.ToString());
            }
        }
    }

    return text.ToString();
}

static long RunDuck(DuckDBConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    using var reader = command.ExecuteReader();
    long count = 0;
    while (reader.Read())
    {
        for (var c = 0; c < reader.FieldCount; c++)
        {
            _ = reader.GetValue(c);
        }

        count++;
    }

    return count;
}
