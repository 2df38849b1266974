using System.Globalization;
using System.Text;
using Apache.Arrow;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Hosting;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

// Durability under kill -9. "writer" commits transactions with fsync=always and prints "ACK <key>" for each
// row only after its commit returned; "verify" reopens the data and checks every acknowledged key is there
// with the value the writer gave it. bench/crash-loop.sh alternates them with a kill in between.
if (args.Length < 3 || args[1] != "--data")
{
    Console.Error.WriteLine("usage: LumaDB.Bench.CrashLoop writer --data DIR [--ready FILE] | verify --data DIR --acks FILE");
    return 2;
}

var dataDir = args[2];
return args[0] switch
{
    "writer" when args.Length == 3 => await CrashLoop.WriteAsync(dataDir, null),
    "writer" when args.Length == 5 && args[3] == "--ready" => await CrashLoop.WriteAsync(dataDir, args[4]),
    "verify" when args.Length == 5 && args[3] == "--acks" => await CrashLoop.VerifyAsync(dataDir, args[4]),
    _ => 2,
};

internal static class CrashLoop
{
    private const string TableName = "acks";
    private const int Writers = 4;
    private const int RowsPerCommit = 5;

    public static async Task<int> WriteAsync(string dataDir, string? readyFile)
    {
        // A small memtable makes flushes (segments written, WAL truncated) happen between kills too.
        await using var database = new Database(
            dataDir, new DatabaseOptions { FsyncMode = WalFsyncMode.Always, MemtableBudgetBytes = 1L << 20 }, NullLogger<Database>.Instance);
        await database.RecoverAsync(CancellationToken.None);
        var table = await EnsureTableAsync(database);
        var next = await MaxKeyAsync(database, table) + 1;
        if (readyFile is not null)
        {
            await File.WriteAllTextAsync(readyFile, "recovered\n");
        }

        var stdout = Console.OpenStandardOutput();
        var output = new Lock();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            var line = new StringBuilder();
            while (true)
            {
                var first = Interlocked.Add(ref next, RowsPerCommit) - RowsPerCommit;
                await using var tx = database.BeginTransaction();
                for (var key = first; key < first + RowsPerCommit; key++)
                {
                    tx.Put(table, new RowBuilder(table.Layout).SetInt64(0, key).SetText(1, ValueOf(key)).ToArray());
                }

                await tx.CommitAsync();
                line.Clear();
                for (var key = first; key < first + RowsPerCommit; key++)
                {
                    line.Append("ACK ").Append(key.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                // One write per commit: a kill leaves whole lines (pipe writes this small are atomic).
                var bytes = Encoding.ASCII.GetBytes(line.ToString());
                lock (output)
                {
                    stdout.Write(bytes);
                    stdout.Flush();
                }
            }
        })));
        return 0;
    }

    public static async Task<int> VerifyAsync(string dataDir, string acksFile)
    {
        var acked = new HashSet<long>();
        var malformed = 0;
        foreach (var line in File.ReadLines(acksFile))
        {
            if (line.StartsWith("ACK ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            {
                acked.Add(key);
            }
            else if (line.Length > 0)
            {
                malformed++;
            }
        }

        await using var database = new Database(dataDir, NullLogger<Database>.Instance);
        await database.RecoverAsync(CancellationToken.None);
        var table = database.Catalog.FindTable(CatalogSnapshot.PublicSchema, TableName);
        var stored = new Dictionary<long, string>();
        if (table is not null)
        {
            await using var tx = database.BeginTransaction();
            await foreach (var batch in tx.ScanAsync(table))
            {
                var keys = (Int64Array)batch.Column(0);
                var values = (StringArray)batch.Column(1);
                for (var i = 0; i < batch.Length; i++)
                {
                    stored[keys.GetValue(i)!.Value] = values.GetString(i);
                }
            }
        }

        var lost = acked.Where(k => !stored.TryGetValue(k, out var value) || value != ValueOf(k)).Order().ToList();
        if (lost.Count > 0)
        {
            Console.WriteLine($"LOST {lost.Count} of {acked.Count} acknowledged writes, first: {string.Join(' ', lost.Take(10))}");
            return 1;
        }

        Console.WriteLine($"OK acknowledged={acked.Count} stored={stored.Count} malformed_lines={malformed}");
        return 0;
    }

    private static string ValueOf(long key) => "value-" + key.ToString(CultureInfo.InvariantCulture) + "-" + ((key * 2654435761L) & 0xFFFF).ToString("x4", CultureInfo.InvariantCulture);

    private static async Task<TableDefinition> EnsureTableAsync(Database database)
    {
        if (database.Catalog.FindTable(CatalogSnapshot.PublicSchema, TableName) is { } existing)
        {
            return existing;
        }

        await using var tx = database.BeginTransaction();
        var table = tx.CreateTable(new TableDefinition(
            0,
            CatalogSnapshot.PublicSchema,
            TableName,
            [new ColumnDefinition("id", "bigint", SegmentColumnKind.Int64, NotNull: true), new ColumnDefinition("value", "text", SegmentColumnKind.Utf8)],
            [0]));
        await tx.CommitAsync();
        return table;
    }

    private static async Task<long> MaxKeyAsync(Database database, TableDefinition table)
    {
        var max = 0L;
        await using var tx = database.BeginTransaction();
        await foreach (var batch in tx.ScanAsync(table, new SegmentScan { Columns = ["id"] }))
        {
            var keys = (Int64Array)batch.Column(0);
            for (var i = 0; i < batch.Length; i++)
            {
                max = Math.Max(max, keys.GetValue(i)!.Value);
            }
        }

        return max;
    }
}
