using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Conversion between Arrow arrays and <see cref="ColumnVector"/>s. Arrow layouts: date32, time64(us),
/// timestamp(us) (timestamptz with zone UTC), decimal128(38, s) for numeric with s the batch's largest
/// scale, fixed-size binary(16) for uuid (big-endian bytes) and interval (int32 months, int32 days,
/// int64 microseconds, little-endian), utf8 for text kinds and json, binary for bytea.
/// </summary>
public static class ArrowColumns
{
    /// <summary>The Arrow type a column of <paramref name="type"/> is stored as (numeric with scale 0; use the array's own type for its scale).</summary>
    public static IArrowType ArrowTypeOf(SqlType type, int numericScale = 0) => type.Kind switch
    {
        SqlTypeKind.Boolean => BooleanType.Default,
        SqlTypeKind.Int2 => Int16Type.Default,
        SqlTypeKind.Int4 => Int32Type.Default,
        SqlTypeKind.Int8 => Int64Type.Default,
        SqlTypeKind.Float4 => FloatType.Default,
        SqlTypeKind.Float8 => DoubleType.Default,
        SqlTypeKind.Numeric => new Decimal128Type(38, numericScale),
        SqlTypeKind.Bytea => BinaryType.Default,
        SqlTypeKind.Date => Date32Type.Default,
        SqlTypeKind.Time => new Time64Type(TimeUnit.Microsecond),
        SqlTypeKind.Timestamp => new TimestampType(TimeUnit.Microsecond, (string?)null),
        SqlTypeKind.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
        SqlTypeKind.Interval or SqlTypeKind.Uuid => new FixedSizeBinaryType(16),
        SqlTypeKind.Vector or SqlTypeKind.Array => throw new SqlException(SqlState.FeatureNotSupported, $"type {type.DisplayName} is not supported in batches yet"),
        _ => StringType.Default,
    };

    /// <summary>Builds the Arrow array for a column.</summary>
    public static IArrowArray ToArrow(ColumnVector column)
    {
        var n = column.Length;
        switch (column.Type.Kind)
        {
            case SqlTypeKind.Boolean:
                var bits = new byte[(n + 7) / 8];
                var values = column.As<bool>();
                for (var i = 0; i < n; i++)
                {
                    if (values[i])
                    {
                        bits[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                return Build(BooleanType.Default, column, bits);
            case SqlTypeKind.Int2: return Build(Int16Type.Default, column, MemoryMarshal.AsBytes(column.As<short>().AsSpan()).ToArray());
            case SqlTypeKind.Int4: return Build(Int32Type.Default, column, MemoryMarshal.AsBytes(column.As<int>().AsSpan()).ToArray());
            case SqlTypeKind.Int8: return Build(Int64Type.Default, column, MemoryMarshal.AsBytes(column.As<long>().AsSpan()).ToArray());
            case SqlTypeKind.Float4: return Build(FloatType.Default, column, MemoryMarshal.AsBytes(column.As<float>().AsSpan()).ToArray());
            case SqlTypeKind.Float8: return Build(DoubleType.Default, column, MemoryMarshal.AsBytes(column.As<double>().AsSpan()).ToArray());
            case SqlTypeKind.Date: return Build(Date32Type.Default, column, MemoryMarshal.AsBytes(column.As<int>().AsSpan()).ToArray());
            case SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz:
                return Build(ArrowTypeOf(column.Type), column, MemoryMarshal.AsBytes(column.As<long>().AsSpan()).ToArray());
            case SqlTypeKind.Interval:
                var intervals = new byte[n * 16];
                var iv = column.As<SqlInterval>();
                for (var i = 0; i < n; i++)
                {
                    var slot = intervals.AsSpan(i * 16, 16);
                    BitConverter.TryWriteBytes(slot, iv[i].Months);
                    BitConverter.TryWriteBytes(slot[4..], iv[i].Days);
                    BitConverter.TryWriteBytes(slot[8..], iv[i].Microseconds);
                }

                return Build(new FixedSizeBinaryType(16), column, intervals);
            case SqlTypeKind.Uuid:
                var uuids = new byte[n * 16];
                var guids = column.As<Guid>();
                for (var i = 0; i < n; i++)
                {
                    guids[i].TryWriteBytes(uuids.AsSpan(i * 16, 16), bigEndian: true, out _);
                }

                return Build(new FixedSizeBinaryType(16), column, uuids);
            case SqlTypeKind.Numeric:
                return BuildDecimal(column);
            case SqlTypeKind.Bytea:
                var binary = new BinaryArray.Builder();
                var blobs = column.As<byte[]?>();
                for (var i = 0; i < n; i++)
                {
                    if (column.IsNull(i))
                    {
                        binary.AppendNull();
                    }
                    else
                    {
                        binary.Append(blobs[i].AsSpan());
                    }
                }

                return binary.Build();
            case SqlTypeKind.Vector or SqlTypeKind.Array:
                throw new SqlException(SqlState.FeatureNotSupported, $"type {column.Type.DisplayName} is not supported in batches yet");
            default:
                var strings = new StringArray.Builder();
                var texts = column.As<string?>();
                for (var i = 0; i < n; i++)
                {
                    if (column.IsNull(i))
                    {
                        strings.AppendNull();
                    }
                    else
                    {
                        strings.Append(texts[i]);
                    }
                }

                return strings.Build();
        }
    }

    private static IArrowArray Build(IArrowType type, ColumnVector column, byte[] values)
    {
        var (validity, nullCount) = Validity(column);
        var data = new ArrayData(type, column.Length, nullCount, 0, [validity, new ArrowBuffer(values)]);
        return ArrowArrayFactory.BuildArray(data);
    }

    private static (ArrowBuffer Buffer, int NullCount) Validity(ColumnVector column)
    {
        if (column.Nulls is null)
        {
            return (ArrowBuffer.Empty, 0);
        }

        var bits = new byte[(column.Length + 7) / 8];
        var nullCount = 0;
        for (var i = 0; i < column.Length; i++)
        {
            if (column.Nulls[i])
            {
                nullCount++;
            }
            else
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return nullCount == 0 ? (ArrowBuffer.Empty, 0) : (new ArrowBuffer(bits), nullCount);
    }

    private static IArrowArray BuildDecimal(ColumnVector column)
    {
        var values = column.As<decimal>();
        var scale = 0;
        foreach (var v in values)
        {
            scale = Math.Max(scale, v.Scale);
        }

        var bytes = new byte[column.Length * 16];
        Span<int> parts = stackalloc int[4];
        for (var i = 0; i < values.Length; i++)
        {
            decimal.GetBits(values[i], parts);
            var mantissa = ((Int128)(uint)parts[2] << 64) | ((Int128)(uint)parts[1] << 32) | (uint)parts[0];
            mantissa *= Int128Pow10(scale - values[i].Scale);
            if (parts[3] < 0)
            {
                mantissa = -mantissa;
            }

            MemoryMarshal.Write(bytes.AsSpan(i * 16, 16), in mantissa);
        }

        return Build(new Decimal128Type(38, scale), column, bytes);
    }

    private static Int128 Int128Pow10(int exponent)
    {
        Int128 result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    /// <summary>Reads an Arrow array into a column of <paramref name="type"/>.</summary>
    public static ColumnVector FromArrow(IArrowArray array, SqlType type)
    {
        var n = array.Length;
        var column = ColumnVector.Allocate(type, n);
        for (var i = 0; i < n; i++)
        {
            if (array.IsNull(i))
            {
                column.SetNull(i);
            }
        }

        var data = array.Data;
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean:
                var boolArray = (BooleanArray)array;
                var bools = column.As<bool>();
                for (var i = 0; i < n; i++)
                {
                    bools[i] = boolArray.GetValue(i) ?? false;
                }

                break;
            case SqlTypeKind.Int2: CopyFixed<short>(data, column.As<short>()); break;
            case SqlTypeKind.Int4 or SqlTypeKind.Date: CopyFixed<int>(data, column.As<int>()); break;
            case SqlTypeKind.Int8 or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz: CopyFixed<long>(data, column.As<long>()); break;
            case SqlTypeKind.Float4: CopyFixed<float>(data, column.As<float>()); break;
            case SqlTypeKind.Float8: CopyFixed<double>(data, column.As<double>()); break;
            case SqlTypeKind.Numeric:
                var scale = ((Decimal128Type)array.Data.DataType).Scale;
                var raw = MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span)[data.Offset..];
                var decimals = column.As<decimal>();
                for (var i = 0; i < n; i++)
                {
                    decimals[i] = ToDecimal(raw[i], scale);
                }

                break;
            case SqlTypeKind.Interval or SqlTypeKind.Uuid:
                var fixedBytes = data.Buffers[1].Span[(data.Offset * 16)..];
                for (var i = 0; i < n; i++)
                {
                    var slot = fixedBytes.Slice(i * 16, 16);
                    if (type.Kind == SqlTypeKind.Uuid)
                    {
                        column.As<Guid>()[i] = new Guid(slot, bigEndian: true);
                    }
                    else
                    {
                        column.As<SqlInterval>()[i] = new SqlInterval(BitConverter.ToInt32(slot), BitConverter.ToInt32(slot[4..]), BitConverter.ToInt64(slot[8..]));
                    }
                }

                break;
            case SqlTypeKind.Bytea:
                var binaryArray = (BinaryArray)array;
                for (var i = 0; i < n; i++)
                {
                    column.As<byte[]?>()[i] = column.IsNull(i) ? null : binaryArray.GetBytes(i).ToArray();
                }

                break;
            default:
                var stringArray = (StringArray)array;
                for (var i = 0; i < n; i++)
                {
                    column.As<string?>()[i] = column.IsNull(i) ? null : stringArray.GetString(i);
                }

                break;
        }

        return column;
    }

    private static void CopyFixed<T>(ArrayData data, T[] target)
        where T : struct =>
        MemoryMarshal.Cast<byte, T>(data.Buffers[1].Span).Slice(data.Offset, target.Length).CopyTo(target);

    private static decimal ToDecimal(Int128 unscaled, int scale)
    {
        var negative = unscaled < 0;
        var magnitude = negative ? -unscaled : unscaled;
        if (magnitude >> 96 != 0)
        {
            throw new SqlException(SqlState.NumericValueOutOfRange, "value overflows numeric format");
        }

        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)scale);
    }

    /// <summary>Reads a column of a record batch by ordinal, given its SQL type.</summary>
    public static ColumnVector FromBatch(RecordBatch batch, int ordinal, SqlType type) => FromArrow(batch.Column(ordinal), type);
}
