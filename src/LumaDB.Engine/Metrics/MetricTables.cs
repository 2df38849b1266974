using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// The tables a <see cref="MetricStore"/> keeps in its shard: series (id and labels), chunks of float samples,
/// native histogram samples, metric metadata and the last checkpoint. Samples (series_id, ts, value) rows are
/// what earlier versions wrote; they are no longer written.
/// </summary>
internal static class MetricTables
{
    public static readonly TableLayout Series = new(1, [
        new TableColumn("series_id", SegmentColumnKind.UInt64, IsNullable: false),
        new TableColumn("labels", SegmentColumnKind.Binary, IsNullable: false),
    ], [0]);

    public static readonly TableLayout Samples = new(2, [
        new TableColumn("series_id", SegmentColumnKind.UInt64, IsNullable: false),
        new TableColumn("ts", SegmentColumnKind.TimestampMicros, IsNullable: false),
        new TableColumn("value", SegmentColumnKind.Float64, IsNullable: false),
    ], [0, 1], timeColumn: 1);

    public static readonly TableLayout Metadata = new(3, [
        new TableColumn("family", SegmentColumnKind.Utf8, IsNullable: false),
        new TableColumn("type", SegmentColumnKind.Utf8, IsNullable: false),
        new TableColumn("help", SegmentColumnKind.Utf8, IsNullable: false),
        new TableColumn("unit", SegmentColumnKind.Utf8, IsNullable: false),
    ], [0]);

    /// <summary>Native histogram samples: (series_id, ts, histogram encoded by <see cref="HistogramCodec"/>).</summary>
    public static readonly TableLayout Histograms = new(10, [
        new TableColumn("series_id", SegmentColumnKind.UInt64, IsNullable: false),
        new TableColumn("ts", SegmentColumnKind.TimestampMicros, IsNullable: false),
        new TableColumn("histogram", SegmentColumnKind.Binary, IsNullable: false),
    ], [0, 1], timeColumn: 1);

    /// <summary>
    /// Gorilla chunks of float samples, written by checkpoints: (series_id, min_ts, max_ts, version, count, chunk),
    /// keyed by series and first timestamp, so segments are sorted by series then time and a chunk re-encoded from
    /// the same first sample replaces the older row. Where chunks of a series overlap (a late sample re-encoded a
    /// range under another first timestamp) the higher version (the later checkpoint) wins per timestamp. The time
    /// column is max_ts, so retention drops a segment once every chunk in it has ended before the cutoff.
    /// </summary>
    public static readonly TableLayout Chunks = new(11, [
        new TableColumn("series_id", SegmentColumnKind.UInt64, IsNullable: false),
        new TableColumn("min_ts", SegmentColumnKind.TimestampMicros, IsNullable: false),
        new TableColumn("max_ts", SegmentColumnKind.TimestampMicros, IsNullable: false),
        new TableColumn("version", SegmentColumnKind.UInt64, IsNullable: false),
        new TableColumn("count", SegmentColumnKind.Int32, IsNullable: false),
        new TableColumn("chunk", SegmentColumnKind.Binary, IsNullable: false),
    ], [0, 1], timeColumn: 2);

    /// <summary>
    /// The last checkpoint (one row, id 0): the sample log's LSN below which every record is in the chunk rows,
    /// and the checkpoint's version.
    /// </summary>
    public static readonly TableLayout Checkpoint = new(12, [
        new TableColumn("id", SegmentColumnKind.Int32, IsNullable: false),
        new TableColumn("log_lsn", SegmentColumnKind.UInt64, IsNullable: false),
        new TableColumn("version", SegmentColumnKind.UInt64, IsNullable: false),
    ], [0]);

    // Samples stays registered so shards written before chunk rows existed still open and flush.
    public static readonly TableLayout[] All = [Series, Samples, Metadata, Histograms, Chunks, Checkpoint];

    /// <summary>Labels as stored: per label a u32 length and UTF-8 bytes of the name, then of the value.</summary>
    public static void EncodeLabels(LabelSet labels, ArrayBufferWriter<byte> into)
    {
        into.ResetWrittenCount();
        foreach (var label in labels.Labels)
        {
            WriteString(label.Name, into);
            WriteString(label.Value, into);
        }
    }

    public static LabelSet DecodeLabels(ReadOnlySpan<byte> data)
    {
        var labels = new List<Label>();
        while (data.Length > 0)
        {
            var name = ReadString(ref data);
            var value = ReadString(ref data);
            labels.Add(new Label(name, value));
        }

        return LabelSet.Create(labels);
    }

    private static void WriteString(string text, ArrayBufferWriter<byte> into)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = into.GetSpan(4 + length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        Encoding.UTF8.GetBytes(text, span[4..]);
        into.Advance(4 + length);
    }

    private static string ReadString(ref ReadOnlySpan<byte> data)
    {
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
        var text = Encoding.UTF8.GetString(data.Slice(4, length));
        data = data[(4 + length)..];
        return text;
    }
}
