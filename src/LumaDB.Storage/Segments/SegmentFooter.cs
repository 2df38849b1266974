using System.Text;

namespace LumaDB.Storage.Segments;

/// <summary>
/// LumaDB's own metadata, stored as one key-value entry of the Parquet footer: which columns form the key and
/// the time, and per row group the key/time bounds and per-column statistics used to skip row groups.
/// </summary>
internal sealed class SegmentFooter
{
    public const string MetadataKey = "lumadb.segment";

    /// <summary>
    /// Footer entry naming (comma-separated) the INT64 columns that hold timestamps in microseconds since the
    /// epoch, UTC; segments without it store timestamps as Parquet TIMESTAMP(MICROS).
    /// </summary>
    public const string Int64TimestampsKey = "lumadb.int64_timestamps";

    /// <summary>
    /// Footer entry listing the positions (comma-separated, in the file's column order) of the unannotated
    /// BYTE_ARRAY columns that hold UTF-8 text, in files of one earlier layout; other segments annotate text as
    /// Parquet UTF8 strings and are written without it. Positions, unlike names, cannot contain the separator.
    /// </summary>
    public const string BinaryTextKey = "lumadb.binary_text";

    // Version 2 records per float column whether a row group holds NaN.
    private const int FormatVersion = 2;

    public required IReadOnlyList<string> KeyColumns { get; init; }

    public string? TimeColumn { get; init; }

    public List<RowGroupFooter> RowGroups { get; } = [];

    /// <summary>The format version the footer was read in (the current one for footers being written).</summary>
    public int Version { get; init; } = FormatVersion;

    public string Encode(SegmentSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(KeyColumns.Count);
            foreach (var name in KeyColumns)
            {
                writer.Write(name);
            }

            writer.Write(TimeColumn ?? string.Empty);
            writer.Write(RowGroups.Count);
            foreach (var group in RowGroups)
            {
                group.Write(writer, schema);
            }
        }

        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads the key and time columns; the row groups follow once the schema is known.</summary>
    public static (SegmentFooter Footer, BinaryReader Remaining) DecodeHeader(string encoded)
    {
        var reader = new BinaryReader(new MemoryStream(Convert.FromBase64String(encoded)), Encoding.UTF8);
        var version = reader.ReadInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"Segment footer version {version} is not supported.");
        }

        var keys = new string[reader.ReadInt32()];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = reader.ReadString();
        }

        var time = reader.ReadString();
        return (new SegmentFooter { KeyColumns = keys, TimeColumn = time.Length == 0 ? null : time, Version = version }, reader);
    }

    public void DecodeRowGroups(BinaryReader reader, SegmentSchema schema)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            RowGroups.Add(RowGroupFooter.Read(reader, schema, Version));
        }
    }
}

/// <summary>Bounds and column statistics of one row group.</summary>
internal sealed record RowGroupFooter(RowGroupRange Range, ColumnStatistics[] Columns)
{
    public void Write(BinaryWriter writer, SegmentSchema schema)
    {
        writer.Write(Range.RowCount);
        writer.Write(Range.MinKey.Length);
        writer.Write(Range.MinKey);
        writer.Write(Range.MaxKey.Length);
        writer.Write(Range.MaxKey);
        writer.Write(Range.MinTimeMicros.HasValue);
        writer.Write(Range.MinTimeMicros ?? 0);
        writer.Write(Range.MaxTimeMicros ?? 0);
        for (var c = 0; c < Columns.Length; c++)
        {
            Columns[c].Write(writer, schema.Columns[c]);
        }
    }

    public static RowGroupFooter Read(BinaryReader reader, SegmentSchema schema, int footerVersion)
    {
        var rows = reader.ReadInt64();
        var minKey = reader.ReadBytes(reader.ReadInt32());
        var maxKey = reader.ReadBytes(reader.ReadInt32());
        var hasTime = reader.ReadBoolean();
        var minTime = reader.ReadInt64();
        var maxTime = reader.ReadInt64();
        var columns = new ColumnStatistics[schema.Columns.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = ColumnStatistics.Read(reader, schema.Columns[c], footerVersion);
        }

        var range = new RowGroupRange(rows, minKey, maxKey, hasTime ? minTime : null, hasTime ? maxTime : null);
        return new RowGroupFooter(range, columns);
    }
}
