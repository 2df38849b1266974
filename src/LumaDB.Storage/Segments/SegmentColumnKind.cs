namespace LumaDB.Storage.Segments;

/// <summary>The column types a segment stores; each has exactly one Arrow and one Parquet representation.</summary>
public enum SegmentColumnKind : byte
{
    /// <summary>Arrow bool, Parquet BOOLEAN.</summary>
    Boolean = 1,

    /// <summary>Arrow int16, Parquet INT32 (INT_16).</summary>
    Int16 = 2,

    /// <summary>Arrow int32, Parquet INT32.</summary>
    Int32 = 3,

    /// <summary>Arrow int64, Parquet INT64.</summary>
    Int64 = 4,

    /// <summary>Arrow float, Parquet FLOAT.</summary>
    Float32 = 5,

    /// <summary>Arrow double, Parquet DOUBLE.</summary>
    Float64 = 6,

    /// <summary>Arrow utf8, Parquet BYTE_ARRAY (STRING).</summary>
    Utf8 = 7,

    /// <summary>Arrow binary, Parquet BYTE_ARRAY.</summary>
    Binary = 8,

    /// <summary>Arrow timestamp[us, UTC], Parquet INT64 TIMESTAMP(MICROS, adjusted to UTC).</summary>
    TimestampMicros = 9,

    /// <summary>Arrow uint64, Parquet INT64 (UINT_64); series ids and hashes.</summary>
    UInt64 = 10,
}
