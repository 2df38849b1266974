using Apache.Arrow;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Transactions;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Engine.Tests.Transactions;

/// <summary>A database in a temporary directory and helpers for a simple (id bigint primary key, name text) table.</summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    private EngineFixture(string directory) => Directory = directory;

    public string Directory { get; }

    public Database Database { get; private set; } = null!;

    public static async Task<EngineFixture> OpenAsync(string? directory = null)
    {
        var fixture = new EngineFixture(directory ?? Path.Combine(Path.GetTempPath(), "luma-engine-" + Guid.NewGuid().ToString("N")));
        await fixture.ReopenAsync(closeFirst: false);
        return fixture;
    }

    /// <summary>A fresh database with a committed <see cref="People"/> table holding <paramref name="rows"/>.</summary>
    public static async Task<(EngineFixture Engine, TableDefinition Table)> WithPeopleAsync(params (long Id, string Name)[] rows)
    {
        var engine = await OpenAsync();
        await using var tx = engine.Database.BeginTransaction();
        var table = tx.CreateTable(People());
        foreach (var (id, name) in rows)
        {
            tx.Put(table, Row(table, id, name));
        }

        await tx.CommitAsync();
        return (engine, table);
    }

    public static TableDefinition People(string name = "people") => new(
        0,
        CatalogSnapshot.PublicSchema,
        name,
        [new ColumnDefinition("id", "bigint", SegmentColumnKind.Int64, NotNull: true), new ColumnDefinition("name", "text", SegmentColumnKind.Utf8)],
        [0]);

    public static byte[] Row(TableDefinition table, long id, string? name)
    {
        var builder = new RowBuilder(table.Layout).SetInt64(0, id);
        if (name is null)
        {
            builder.SetNull(1);
        }
        else
        {
            builder.SetText(1, name);
        }

        return builder.ToArray();
    }

    public static byte[] Key(long id)
    {
        var key = new System.Buffers.ArrayBufferWriter<byte>();
        KeyEncoding.WriteInt64(key, id);
        return key.WrittenSpan.ToArray();
    }

    public static string? NameOf(TableDefinition table, byte[]? row) =>
        row is null ? null : table.Layout.Codec.IsNull(row, 1) ? "<null>" : table.Layout.Codec.GetText(row, 1);

    /// <summary>Every (id, name) row a transaction's scan returns, in order.</summary>
    public static async Task<List<(long Id, string? Name)>> ScanAsync(Transaction tx, TableDefinition table, SegmentScan? scan = null)
    {
        var rows = new List<(long, string?)>();
        await foreach (var batch in tx.ScanAsync(table, scan))
        {
            var ids = (Int64Array)batch.Column(0);
            var names = (StringArray)batch.Column(1);
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add((ids.GetValue(i)!.Value, names.GetString(i)));
            }
        }

        return rows;
    }

    public async Task<List<(long Id, string? Name)>> ReadAllAsync(string table)
    {
        await using var tx = Database.BeginTransaction();
        var definition = tx.Catalog.FindTable(CatalogSnapshot.PublicSchema, table) ?? throw new InvalidOperationException($"no table {table}");
        return await ScanAsync(tx, definition);
    }

    /// <summary>Closes (flushing) and opens the same directory again.</summary>
    public async Task ReopenAsync(bool closeFirst = true)
    {
        if (closeFirst)
        {
            await Database.DisposeAsync();
        }

        Database = new Database(Directory, NullLogger<Database>.Instance);
        await Database.RecoverAsync(CancellationToken.None);
    }

    /// <summary>
    /// Copies the directory while the database is open, as a crash would leave it (commits are fsynced), and
    /// opens the copy; <paramref name="damage"/> may change the copy first.
    /// </summary>
    public async Task<EngineFixture> CrashCopyAsync(Action<string>? damage = null)
    {
        var copy = Path.Combine(Path.GetTempPath(), "luma-engine-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Directory, copy);
        damage?.Invoke(copy);
        return await OpenAsync(copy);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from))
        {
            if (Path.GetFileName(file) != "LOCK")
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (var directory in System.IO.Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
