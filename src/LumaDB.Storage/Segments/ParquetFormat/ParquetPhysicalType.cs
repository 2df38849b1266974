namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>Parquet's physical Type numbers, and the one each segment column kind is stored as.</summary>
internal static class ParquetPhysicalType
{
    public const int Boolean = 0;
    public const int Int32 = 1;
    public const int Int64 = 2;
    public const int Float = 4;
    public const int Double = 5;
    public const int ByteArray = 6;

    /// <summary>The physical type a column of <paramref name="kind"/> is stored as (16-bit integers as INT32).</summary>
    public static int Of(SegmentColumnKind kind) => kind switch
    {
        SegmentColumnKind.Boolean => Boolean,
        SegmentColumnKind.Int16 or SegmentColumnKind.Int32 => Int32,
        SegmentColumnKind.Int64 or SegmentColumnKind.UInt64 or SegmentColumnKind.TimestampMicros => Int64,
        SegmentColumnKind.Float32 => Float,
        SegmentColumnKind.Float64 => Double,
        SegmentColumnKind.Utf8 or SegmentColumnKind.Binary => ByteArray,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
