using Apache.Arrow.Types;
using Parquet.Schema;

namespace LumaDB.Storage.Segments;

/// <summary>One column of a segment: its name, storage kind and nullability, with its Arrow and Parquet forms.</summary>
public sealed class SegmentColumn
{
    internal SegmentColumn(int index, string name, SegmentColumnKind kind, bool isNullable, bool timestampAsDateTime = false, bool textAsString = false)
    {
        Index = index;
        Name = name;
        Kind = kind;
        IsNullable = isNullable;
        ArrowType = ToArrowType(kind);
        TimestampAsDateTime = timestampAsDateTime && kind == SegmentColumnKind.TimestampMicros;
        TextAsString = textAsString && kind == SegmentColumnKind.Utf8;
        ParquetField = ToParquetField(name, kind, isNullable, TimestampAsDateTime, TextAsString);
        RawParquetField = TextAsString ? RawBytesField(name, isNullable) : ParquetField;
    }

    /// <summary>Position of the column in the segment schema.</summary>
    public int Index { get; }

    /// <summary>Column name, unique in the schema.</summary>
    public string Name { get; }

    /// <summary>Storage kind.</summary>
    public SegmentColumnKind Kind { get; }

    /// <summary>Whether the column may hold nulls.</summary>
    public bool IsNullable { get; }

    /// <summary>The Arrow type scans return for this column.</summary>
    public IArrowType ArrowType { get; }

    internal DataField ParquetField { get; }

    /// <summary>
    /// The field to read the column's values through: for text stored as Parquet strings a byte-array field of the
    /// same name, so reads get the stored UTF-8 as it is (Parquet.Net finds the column by its path); otherwise the
    /// column's own.
    /// </summary>
    internal DataField RawParquetField { get; }

    /// <summary>
    /// True for a text column read from a segment file that annotates it as a Parquet UTF8 string column (files
    /// written before <see cref="SegmentFooter.BinaryTextKey"/>, and every file since LumaDB writes its own Parquet).
    /// Either way text is read as the stored UTF-8 bytes, never as Parquet.Net's UTF-16 strings; files of the
    /// layout in between hold unannotated BYTE_ARRAY columns listed in that footer entry.
    /// </summary>
    internal bool TextAsString { get; }

    /// <summary>
    /// True for a timestamp column of an older segment, stored as a Parquet TIMESTAMP(MICROS) column. Segments
    /// now store timestamps as plain INT64 microseconds (named in <see cref="SegmentFooter.Int64TimestampsKey"/>)
    /// because Parquet.Net only delta-encodes INT32/INT64 columns: a regular scrape interval then costs a few
    /// bits per row instead of a compressed eight bytes.
    /// </summary>
    internal bool TimestampAsDateTime { get; }

    /// <summary>Timestamps always come back as microseconds in UTC, whatever zone label the writer's schema carried.</summary>
    internal static readonly TimestampType TimestampMicrosUtc = new(TimeUnit.Microsecond, "UTC");

    /// <summary>
    /// Integer-like columns keep statistics in the integer fields; uint64 ones as <see cref="UnsignedOrderKey"/>
    /// so that signed comparison of the stored values still follows the unsigned order.
    /// </summary>
    internal bool IsInteger => Kind is SegmentColumnKind.Int16 or SegmentColumnKind.Int32 or SegmentColumnKind.Int64
        or SegmentColumnKind.TimestampMicros or SegmentColumnKind.Boolean or SegmentColumnKind.UInt64;

    /// <summary>Maps a uint64 onto a long with the same order (flips the top bit).</summary>
    internal static long UnsignedOrderKey(ulong value) => (long)(value ^ (1UL << 63));

    /// <summary>Compares a uint64 value with a signed constant; every negative constant is below every value.</summary>
    internal static int CompareUnsigned(ulong value, long constant) => constant < 0 ? 1 : value.CompareTo((ulong)constant);

    internal bool IsReal => Kind is SegmentColumnKind.Float32 or SegmentColumnKind.Float64;

    internal bool IsBytes => Kind is SegmentColumnKind.Utf8 or SegmentColumnKind.Binary;

    internal static SegmentColumnKind KindOf(string name, IArrowType type) => type switch
    {
        BooleanType => SegmentColumnKind.Boolean,
        Int16Type => SegmentColumnKind.Int16,
        Int32Type => SegmentColumnKind.Int32,
        Int64Type => SegmentColumnKind.Int64,
        UInt64Type => SegmentColumnKind.UInt64,
        FloatType => SegmentColumnKind.Float32,
        DoubleType => SegmentColumnKind.Float64,
        StringType => SegmentColumnKind.Utf8,
        BinaryType => SegmentColumnKind.Binary,
        TimestampType { Unit: TimeUnit.Microsecond } => SegmentColumnKind.TimestampMicros,
        TimestampType ts => throw new NotSupportedException(
            $"Column '{name}': timestamps are stored in microseconds; got unit {ts.Unit}."),
        _ => throw new NotSupportedException($"Column '{name}': Arrow type {type.Name} is not a segment column type."),
    };

    internal static SegmentColumnKind KindOf(DataField field, bool int64Timestamp = false, bool binaryText = false)
    {
        if (field is DateTimeDataField dt)
        {
            return dt.Unit == DateTimeTimeUnit.Micros && dt.IsAdjustedToUTC
                ? SegmentColumnKind.TimestampMicros
                : throw new NotSupportedException($"Column '{field.Name}': only UTC microsecond timestamps are supported.");
        }

        var type = field.ClrType;
        if (type == typeof(bool)) return SegmentColumnKind.Boolean;
        if (type == typeof(short)) return SegmentColumnKind.Int16;
        if (type == typeof(int)) return SegmentColumnKind.Int32;
        if (type == typeof(long)) return int64Timestamp ? SegmentColumnKind.TimestampMicros : SegmentColumnKind.Int64;
        if (type == typeof(ulong)) return SegmentColumnKind.UInt64;
        if (type == typeof(float)) return SegmentColumnKind.Float32;
        if (type == typeof(double)) return SegmentColumnKind.Float64;
        if (type == typeof(ReadOnlyMemory<char>)) return SegmentColumnKind.Utf8;
        if (type == typeof(ReadOnlyMemory<byte>)) return binaryText ? SegmentColumnKind.Utf8 : SegmentColumnKind.Binary;
        throw new NotSupportedException($"Column '{field.Name}': Parquet type {type.Name} is not a segment column type.");
    }

    private static IArrowType ToArrowType(SegmentColumnKind kind) => kind switch
    {
        SegmentColumnKind.Boolean => BooleanType.Default,
        SegmentColumnKind.Int16 => Int16Type.Default,
        SegmentColumnKind.Int32 => Int32Type.Default,
        SegmentColumnKind.Int64 => Int64Type.Default,
        SegmentColumnKind.UInt64 => UInt64Type.Default,
        SegmentColumnKind.Float32 => FloatType.Default,
        SegmentColumnKind.Float64 => DoubleType.Default,
        SegmentColumnKind.Utf8 => StringType.Default,
        SegmentColumnKind.Binary => BinaryType.Default,
        SegmentColumnKind.TimestampMicros => TimestampMicrosUtc,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static DataField<byte[]> RawBytesField(string name, bool nullable)
    {
        // Parquet.Net reads only through fields that belong to a schema; this one-column schema computes the same
        // definition levels as the file's for a top-level column.
        var field = new DataField<byte[]>(name, nullable);
        _ = new ParquetSchema(field);
        return field;
    }

    private static DataField ToParquetField(string name, SegmentColumnKind kind, bool nullable, bool timestampAsDateTime, bool textAsString) => kind switch
    {
        SegmentColumnKind.Utf8 when !textAsString => new DataField<byte[]>(name, nullable),
        SegmentColumnKind.TimestampMicros when !timestampAsDateTime => new DataField<long>(name, nullable),
        SegmentColumnKind.Boolean => new DataField<bool>(name, nullable),
        SegmentColumnKind.Int16 => new DataField<short>(name, nullable),
        SegmentColumnKind.Int32 => new DataField<int>(name, nullable),
        SegmentColumnKind.Int64 => new DataField<long>(name, nullable),
        SegmentColumnKind.UInt64 => new DataField<ulong>(name, nullable),
        SegmentColumnKind.Float32 => new DataField<float>(name, nullable),
        SegmentColumnKind.Float64 => new DataField<double>(name, nullable),
        SegmentColumnKind.Utf8 => new DataField<string>(name, nullable),
        SegmentColumnKind.Binary => new DataField<byte[]>(name, nullable),
        SegmentColumnKind.TimestampMicros => new DateTimeDataField(
            name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
