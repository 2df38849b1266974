using System.Buffers;
using System.Globalization;
using System.Text;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>Three small tables and helpers to write and read their rows through a shard.</summary>
internal static class ShardTestKit
{
    /// <summary>(id int64 key, name text, value double, ts timestamp time column).</summary>
    public static readonly TableLayout Metrics = new(
        1,
        [
            new TableColumn("id", SegmentColumnKind.Int64, IsNullable: false),
            new TableColumn("name", SegmentColumnKind.Utf8),
            new TableColumn("value", SegmentColumnKind.Float64),
            new TableColumn("ts", SegmentColumnKind.TimestampMicros),
        ],
        [0],
        timeColumn: 3);

    /// <summary>(tenant text key, id int32 key, flag bool, data bytes).</summary>
    public static readonly TableLayout Tags = new(
        2,
        [
            new TableColumn("tenant", SegmentColumnKind.Utf8, IsNullable: false),
            new TableColumn("id", SegmentColumnKind.Int32, IsNullable: false),
            new TableColumn("flag", SegmentColumnKind.Boolean),
            new TableColumn("data", SegmentColumnKind.Binary),
        ],
        [0, 1]);

    /// <summary>(device int64 key, ts timestamp key and time column, value double): a table with the time in its key.</summary>
    public static readonly TableLayout Readings = new(
        3,
        [
            new TableColumn("device", SegmentColumnKind.Int64, IsNullable: false),
            new TableColumn("ts", SegmentColumnKind.TimestampMicros, IsNullable: false),
            new TableColumn("value", SegmentColumnKind.Float64),
        ],
        [0, 1],
        timeColumn: 1);

    /// <summary>
    /// A table with a column of every kind (b, s, i, l, u, f, d, t, text, bytes), then with <paramref name="extraText"/> a
    /// text column "other", keyed on <paramref name="key"/>.
    /// </summary>
    public static TableLayout EveryKind(ulong tableId, int[] key, bool extraText = false) => new(
        tableId,
        [
            new TableColumn("b", SegmentColumnKind.Boolean),
            new TableColumn("s", SegmentColumnKind.Int16),
            new TableColumn("i", SegmentColumnKind.Int32),
            new TableColumn("l", SegmentColumnKind.Int64),
            new TableColumn("u", SegmentColumnKind.UInt64),
            new TableColumn("f", SegmentColumnKind.Float32),
            new TableColumn("d", SegmentColumnKind.Float64),
            new TableColumn("t", SegmentColumnKind.TimestampMicros),
            new TableColumn("text", SegmentColumnKind.Utf8),
            new TableColumn("bytes", SegmentColumnKind.Binary),
            .. extraText ? [new TableColumn("other", SegmentColumnKind.Utf8)] : System.Array.Empty<TableColumn>(),
        ],
        key);

    /// <summary>A row of <see cref="Readings"/>.</summary>
    public static byte[] Reading(long device, long ts, double? value)
    {
        var row = new RowBuilder(Readings).SetInt64(0, device).SetTimestamp(1, ts);
        if (value is { } v)
        {
            row.SetFloat64(2, v);
        }

        return row.ToArray();
    }

    /// <summary>The primary key of a row of <see cref="Readings"/>.</summary>
    public static byte[] ReadingKey(long device, long ts)
    {
        var writer = new ArrayBufferWriter<byte>();
        KeyEncoding.WriteInt64(writer, device);
        KeyEncoding.WriteTimestamp(writer, ts);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Every row a scan of <see cref="Readings"/> returns at a snapshot, in order.</summary>
    public static async Task<List<(long Device, long Ts, double? Value)>> ReadReadingsAsync(Shard shard, SegmentScan scan, ulong snapshot)
    {
        var rows = new List<(long, long, double?)>();
        await foreach (var batch in shard.ScanAsync(Readings, scan, snapshot))
        {
            using (batch)
            {
                var devices = (Int64Array)batch.Column("device");
                var times = (TimestampArray)batch.Column("ts");
                var values = (DoubleArray)batch.Column("value");
                for (var i = 0; i < batch.Length; i++)
                {
                    rows.Add((devices.Values[i], times.Values[i], values.IsNull(i) ? null : values.Values[i]));
                }
            }
        }

        return rows;
    }

    public static ShardOptions Options(string directory, long budget = 64L * 1024 * 1024, long walSegment = 64L * 1024 * 1024) => new()
    {
        Directory = directory,
        Tables = [Metrics, Tags],
        MemtableBudgetBytes = budget,
        WalSegmentSizeBytes = walSegment,
    };

    public static byte[] Metric(long id, string? name, double? value = null, long? ts = null)
    {
        var row = new RowBuilder(Metrics).SetInt64(0, id);
        if (name is not null)
        {
            row.SetText(1, name);
        }

        if (value is { } v)
        {
            row.SetFloat64(2, v);
        }

        if (ts is { } t)
        {
            row.SetTimestamp(3, t);
        }

        return row.ToArray();
    }

    public static byte[] Tag(string tenant, int id, bool? flag, byte[]? data)
    {
        var row = new RowBuilder(Tags).SetText(0, tenant).SetInt32(1, id);
        if (flag is { } f)
        {
            row.SetBoolean(2, f);
        }

        if (data is not null)
        {
            row.SetBytes(3, data);
        }

        return row.ToArray();
    }

    public static byte[] MetricKey(long id)
    {
        var writer = new ArrayBufferWriter<byte>();
        KeyEncoding.WriteInt64(writer, id);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] TagKey(string tenant, int id)
    {
        var writer = new ArrayBufferWriter<byte>();
        KeyEncoding.WriteText(writer, tenant);
        KeyEncoding.WriteInt32(writer, id);
        return writer.WrittenSpan.ToArray();
    }

    public static async Task<ulong> PutMetricsAsync(Shard shard, params (long Id, string? Name)[] rows)
    {
        var batch = new WriteBatch();
        foreach (var (id, name) in rows)
        {
            batch.Put(Metrics, Metric(id, name, id * 1.5, 1_000_000 + id));
        }

        return await shard.CommitAsync(batch);
    }

    public static async Task<ulong> DeleteMetricsAsync(Shard shard, params long[] ids)
    {
        var batch = new WriteBatch();
        foreach (var id in ids)
        {
            batch.Delete(Metrics, MetricKey(id));
        }

        return await shard.CommitAsync(batch);
    }

    public static async Task<string?> GetNameAsync(Shard shard, long id, ulong snapshot = ulong.MaxValue)
    {
        var row = await shard.GetAsync(Metrics, MetricKey(id), snapshot);
        return row is null ? null : Metrics.Codec.IsNull(row, 1) ? "<null>" : Metrics.Codec.GetText(row, 1);
    }

    /// <summary>Every (id, name) of the metrics table at a snapshot, via a scan, in key order.</summary>
    public static async Task<List<(long Id, string? Name)>> ScanMetricsAsync(Shard shard, ulong snapshot = ulong.MaxValue, SegmentScan? scan = null)
    {
        var rows = new List<(long, string?)>();
        await foreach (var batch in shard.ScanAsync(Metrics, scan, snapshot))
        {
            var ids = (Int64Array)batch.Column("id");
            var names = (StringArray)batch.Column("name");
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add((ids.Values[i], names.GetString(i)));
            }
        }

        return rows;
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    /// <summary>Options with 16-row groups and no background compaction or maintenance: scans cross many row groups.</summary>
    public static ShardOptions SmallGroupOptions(string directory, long columnCacheBytes = 0) => new()
    {
        Directory = directory,
        ColumnCacheBytes = columnCacheBytes,
        Tables = [Metrics, Tags, Readings],
        SegmentWriter = new SegmentWriterOptions { RowGroupSize = 16 },
        Compaction = new CompactionOptions { Background = false },
        MaintenanceInterval = null,
    };

    /// <summary>Every row a scan of the metrics table returns at a snapshot, as name=value text, in order.</summary>
    public static async Task<List<string>> ScanTextAsync(Shard shard, SegmentScan scan, ulong snapshot)
    {
        var rows = new List<string>();
        await foreach (var batch in shard.ScanAsync(Metrics, scan, snapshot))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                var text = new StringBuilder();
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    text.Append(c == 0 ? string.Empty : "|").Append(batch.Schema.FieldsList[c].Name).Append('=').Append(FormatValue(batch.Column(c), i));
                }

                rows.Add(text.ToString());
            }
        }

        return rows;
    }

    private static string FormatValue(IArrowArray array, int index) => array.IsNull(index) ? "null" : array switch
    {
        Int64Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        DoubleArray a => a.GetValue(index)!.Value.ToString("R", CultureInfo.InvariantCulture),
        StringArray a => a.GetString(index),
        TimestampArray a => a.Values[index].ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException(array.GetType().Name),
    };
}
