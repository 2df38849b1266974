using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// The tables a <see cref="MetricStore"/> keeps in its shard: series (id and labels), samples
/// (series_id, ts, value; keyed by both, so segments are sorted by series then time) and metric metadata.
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

    /// <summary>Bytes of an encoded <see cref="Samples"/> row: the null bitmap, then the three fixed-width columns.</summary>
    public const int SampleRowBytes = 1 + 8 + 8 + 8;

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

    public static readonly TableLayout[] All = [Series, Samples, Metadata, Histograms];

    /// <summary>
    /// Writes a <see cref="Samples"/> row as its <see cref="RowCodec"/> reads it (no nulls, little-endian values)
    /// without a row builder: the per-sample cost of a write's WAL batch.
    /// </summary>
    public static void EncodeSample(ulong seriesId, long timestampMs, double value, Span<byte> row)
    {
        row[0] = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(row[1..], seriesId);
        BinaryPrimitives.WriteInt64LittleEndian(row[9..], timestampMs * 1000);
        BinaryPrimitives.WriteDoubleLittleEndian(row[17..], value);
    }

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
