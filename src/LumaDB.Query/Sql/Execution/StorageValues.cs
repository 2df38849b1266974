using System.Buffers.Binary;
using System.Text;
using Apache.Arrow;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// How SQL values are stored in table rows. Integers, floats, booleans and timestamps use the matching
/// storage kinds; text kinds are Utf8; bytea is Binary; date is Int32 days since 1970-01-01; time is Int64 µs
/// since midnight; numeric, json and jsonb are their Utf8 text. Binary encodings: interval is 16 bytes
/// (int32 months, int32 days, int64 µs, little-endian); uuid is its 16 bytes in RFC 4122 (big-endian) order;
/// arrays and vectors are the UTF-8 of their PostgreSQL text form.
/// </summary>
internal static class StorageValues
{
    public static SegmentColumnKind KindOf(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => SegmentColumnKind.Boolean,
        SqlTypeKind.Int2 => SegmentColumnKind.Int16,
        SqlTypeKind.Int4 or SqlTypeKind.Date => SegmentColumnKind.Int32,
        SqlTypeKind.Int8 or SqlTypeKind.Time => SegmentColumnKind.Int64,
        SqlTypeKind.Float4 => SegmentColumnKind.Float32,
        SqlTypeKind.Float8 => SegmentColumnKind.Float64,
        SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => SegmentColumnKind.TimestampMicros,
        SqlTypeKind.Bytea or SqlTypeKind.Interval or SqlTypeKind.Uuid or SqlTypeKind.Array or SqlTypeKind.Vector => SegmentColumnKind.Binary,
        _ => SegmentColumnKind.Utf8,
    };

    /// <summary>Writes a non-null value of <paramref name="type"/> into column <paramref name="ordinal"/>.</summary>
    public static void Write(RowBuilder row, int ordinal, SqlType type, object? value)
    {
        if (value is null)
        {
            row.SetNull(ordinal);
            return;
        }

        switch (type.Kind)
        {
            case SqlTypeKind.Boolean: row.SetBoolean(ordinal, (bool)value); break;
            case SqlTypeKind.Int2: row.SetInt16(ordinal, (short)value); break;
            case SqlTypeKind.Int4 or SqlTypeKind.Date: row.SetInt32(ordinal, (int)value); break;
            case SqlTypeKind.Int8 or SqlTypeKind.Time: row.SetInt64(ordinal, (long)value); break;
            case SqlTypeKind.Float4: row.SetFloat32(ordinal, (float)value); break;
            case SqlTypeKind.Float8: row.SetFloat64(ordinal, (double)value); break;
            case SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz: row.SetTimestamp(ordinal, (long)value); break;
            case SqlTypeKind.Bytea: row.SetBytes(ordinal, (byte[])value); break;
            case SqlTypeKind.Interval:
                {
                    var interval = (SqlInterval)value;
                    Span<byte> bytes = stackalloc byte[16];
                    BinaryPrimitives.WriteInt32LittleEndian(bytes, interval.Months);
                    BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], interval.Days);
                    BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], interval.Microseconds);
                    row.SetBytes(ordinal, bytes);
                    break;
                }

            case SqlTypeKind.Uuid:
                {
                    Span<byte> bytes = stackalloc byte[16];
                    ((Guid)value).TryWriteBytes(bytes, bigEndian: true, out _);
                    row.SetBytes(ordinal, bytes);
                    break;
                }

            case SqlTypeKind.Array or SqlTypeKind.Vector:
                row.SetBytes(ordinal, Encoding.UTF8.GetBytes(SqlText.Format(value, type)));
                break;
            case SqlTypeKind.Numeric:
                row.SetText(ordinal, SqlText.Format(value, type));
                break;
            default:
                row.SetText(ordinal, (string)value);
                break;
        }
    }

    /// <summary>A storage batch as a result batch of <paramref name="columns"/> (the batch's columns in order).</summary>
    public static ResultBatch ToResultBatch(RecordBatch batch, IReadOnlyList<PlanColumn> columns)
    {
        var result = new ColumnVector[columns.Count];
        for (var c = 0; c < result.Length; c++)
        {
            result[c] = Read(batch.Column(c), columns[c].Type);
        }

        return new ResultBatch(result, batch.Length);
    }

    /// <summary>
    /// A storage batch holding only the columns at <paramref name="ordinals"/> (ascending) as a result batch of
    /// all <paramref name="columns"/>; the unread ones are <see cref="ColumnVector.Absent"/>.
    /// </summary>
    public static ResultBatch ToResultBatch(RecordBatch batch, IReadOnlyList<PlanColumn> columns, int[] ordinals)
    {
        var result = new ColumnVector[columns.Count];
        for (var c = 0; c < result.Length; c++)
        {
            result[c] = ColumnVector.Absent(columns[c].Type);
        }

        for (var i = 0; i < ordinals.Length; i++)
        {
            result[ordinals[i]] = Read(batch.Column(i), columns[ordinals[i]].Type);
        }

        return new ResultBatch(result, batch.Length);
    }

    /// <summary>Reads a stored Arrow column as <paramref name="type"/>.</summary>
    public static ColumnVector Read(IArrowArray array, SqlType type)
    {
        if (array is DictionaryArray coded)
        {
            return ReadDictionary(coded, type);
        }

        var length = array.Length;
        var shared = SharedValues(array, type);
        var result = shared is null ? ColumnVector.Allocate(type, length) : new ColumnVector(type, shared, null);
        if (array.NullCount > 0)
        {
            for (var i = 0; i < length; i++)
            {
                if (array.IsNull(i))
                {
                    result.SetNull(i);
                }
            }
        }

        switch (array)
        {
            case BooleanArray a:
                var flags = result.As<bool>();
                for (var i = 0; i < length; i++)
                {
                    flags[i] = a.GetValue(i) ?? false;
                }

                break;
            case not BooleanArray when shared is not null: break;
            case Int16Array a: a.Values.CopyTo(result.As<short>()); break;
            case Int32Array a: a.Values.CopyTo(result.As<int>()); break;
            case Int64Array a: a.Values.CopyTo(result.As<long>()); break;
            case FloatArray a: a.Values.CopyTo(result.As<float>()); break;
            case DoubleArray a: a.Values.CopyTo(result.As<double>()); break;
            case TimestampArray a: a.Values.CopyTo(result.As<long>()); break;
            case StringArray a when type.Category == SqlTypeCategory.String || type.Kind is SqlTypeKind.Json or SqlTypeKind.Jsonb:
                ReadStrings(a, result.As<string?>());
                break;
            case StringArray a:
                for (var i = 0; i < length; i++)
                {
                    if (!array.IsNull(i))
                    {
                        result.Values.SetValue(SqlText.Parse(a.GetString(i), type), i);
                    }
                }

                break;
            case BinaryArray a:
                for (var i = 0; i < length; i++)
                {
                    if (!array.IsNull(i))
                    {
                        result.Values.SetValue(DecodeBinary(a.GetBytes(i), type), i);
                    }
                }

                break;
            default:
                throw new SqlException(SqlState.InternalError, $"unexpected storage array {array.GetType().Name}");
        }

        return result;
    }

    /// <summary>
    /// The values array of a cached storage column the Arrow array wraps whole (see
    /// <see cref="TypedArrayMemory{T}"/>), when it is exactly the array a column of <paramref name="type"/> holds:
    /// the column then shares it instead of copying. Nothing writes the values of a scanned column.
    /// </summary>
    private static System.Array? SharedValues(IArrowArray array, SqlType type)
    {
        if (array.Data.Offset != 0 || array.Data.Buffers.Length < 2)
        {
            return null;
        }

        var memory = array.Data.Buffers[1].Memory;
        System.Array? values = array switch
        {
            Int16Array when type.Kind == SqlTypeKind.Int2 && System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(memory, out TypedArrayMemory<short>? m) => m.Array,
            Int32Array when ColumnVector.NewArray(type, 0) is int[] && System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(memory, out TypedArrayMemory<int>? m) => m.Array,
            Int64Array or TimestampArray when ColumnVector.NewArray(type, 0) is long[] && System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(memory, out TypedArrayMemory<long>? m) => m.Array,
            FloatArray when type.Kind == SqlTypeKind.Float4 && System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(memory, out TypedArrayMemory<float>? m) => m.Array,
            DoubleArray when type.Kind == SqlTypeKind.Float8 && System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(memory, out TypedArrayMemory<double>? m) => m.Array,
            _ => null,
        };
        return values is not null && values.Length == array.Length ? values : null;
    }

    /// <summary>
    /// A dictionary-coded text column: the dictionary is decoded to strings once (and kept with it, as every batch
    /// of a cached row group shares it), rows take their string by code, and text columns keep the codes.
    /// </summary>
    private static ColumnVector ReadDictionary(DictionaryArray array, SqlType type)
    {
        var values = DecodedDictionaries.GetValue(array.Dictionary, static d =>
        {
            var strings = (StringArray)d;
            var decoded = new string[strings.Length];
            for (var i = 0; i < decoded.Length; i++)
            {
                decoded[i] = strings.GetString(i) ?? string.Empty;
            }

            return decoded;
        });
        var indices = (Int32Array)array.Indices;
        var length = indices.Length;
        int[] codes;
        if (indices.NullCount == 0 && indices.Offset == 0 && System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(indices.ValueBuffer.Memory, out TypedArrayMemory<int>? shared) && shared.Array.Length == length)
        {
            // The cached row group's codes themselves (read-only for everyone; with nulls they are rewritten below).
            codes = shared.Array;
        }
        else
        {
            codes = new int[length];
            indices.Values.CopyTo(codes);
        }

        bool[]? nulls = null;
        if (indices.NullCount > 0)
        {
            nulls = new bool[length];
            for (var i = 0; i < length; i++)
            {
                if (indices.IsNull(i))
                {
                    nulls[i] = true;
                    codes[i] = 0;
                }
            }
        }

        if (type.Category == SqlTypeCategory.String || type.Kind is SqlTypeKind.Json or SqlTypeKind.Jsonb)
        {
            return ColumnVector.Coded(type, codes, values, nulls);
        }

        var result = ColumnVector.Allocate(type, length);
        for (var i = 0; i < length; i++)
        {
            if (nulls is not null && nulls[i])
            {
                result.SetNull(i);
            }
            else
            {
                result.Values.SetValue(SqlText.Parse(values[codes[i]], type), i);
            }
        }

        return result;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IArrowArray, string[]> DecodedDictionaries = [];

    /// <summary>
    /// Text values without boxing. Low-cardinality columns (categories, regions, service names) repeat a few
    /// values: a small table of recently decoded strings, found by a hash of the bytes, shares one string per
    /// distinct value instead of allocating one per row (entries outlive a call: a hit is checked byte for byte).
    /// </summary>
    private static void ReadStrings(StringArray array, string?[] target)
    {
        var offsets = array.ValueOffsets;
        var data = array.Values;
        var recent = RecentStrings ??= new string?[RecentSlots];
        Span<char> chars = stackalloc char[64];
        var checkNulls = array.NullCount > 0;
        for (var i = 0; i < target.Length; i++)
        {
            if (checkNulls && array.IsNull(i))
            {
                continue;
            }

            var bytes = data.Slice(offsets[i], offsets[i + 1] - offsets[i]);
            if (bytes.Length > 32)
            {
                target[i] = Encoding.UTF8.GetString(bytes);
                continue;
            }

            var slot = (int)(System.IO.Hashing.XxHash3.HashToUInt64(bytes) & (RecentSlots - 1));
            var cached = recent[slot];
            if (cached is not null && Encoding.UTF8.TryGetChars(bytes, chars, out var written) && chars[..written].SequenceEqual(cached))
            {
                target[i] = cached;
                continue;
            }

            target[i] = recent[slot] = Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>Slots of the per-thread recent-string table (a power of two).</summary>
    private const int RecentSlots = 4096;

    [ThreadStatic]
    private static string?[]? RecentStrings;

    /// <summary>Encodes a row of values (one per table column, in <paramref name="types"/>) in the storage row format.</summary>
    public static byte[] Encode(TableLayout layout, IReadOnlyList<SqlType> types, object?[] values)
    {
        var builder = new RowBuilder(layout);
        for (var i = 0; i < values.Length; i++)
        {
            Write(builder, i, types[i], values[i]);
        }

        return builder.ToArray();
    }

    /// <summary>
    /// The primary key of a row that has only its key columns' values (others null): the other columns get a
    /// placeholder so the row encodes, and only the key is cut from it.
    /// </summary>
    public static byte[] EncodeKey(TableLayout layout, IReadOnlyList<SqlType> types, object?[] values)
    {
        var builder = new RowBuilder(layout);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                WritePlaceholder(builder, i, layout.Columns[i].Kind);
            }
            else
            {
                Write(builder, i, types[i], values[i]);
            }
        }

        return Shard.PrimaryKeyOf(layout, builder.ToArray());
    }

    /// <summary>Gives a column a value of its kind that stands for nothing (zero, empty), for rows encoded only to cut a key from.</summary>
    public static void WritePlaceholder(RowBuilder row, int column, SegmentColumnKind kind)
    {
        switch (kind)
        {
            case SegmentColumnKind.Boolean: row.SetBoolean(column, false); break;
            case SegmentColumnKind.Int16: row.SetInt16(column, 0); break;
            case SegmentColumnKind.Int32: row.SetInt32(column, 0); break;
            case SegmentColumnKind.Int64: row.SetInt64(column, 0); break;
            case SegmentColumnKind.UInt64: row.SetUInt64(column, 0); break;
            case SegmentColumnKind.Float32: row.SetFloat32(column, 0); break;
            case SegmentColumnKind.Float64: row.SetFloat64(column, 0); break;
            case SegmentColumnKind.TimestampMicros: row.SetTimestamp(column, 0); break;
            case SegmentColumnKind.Utf8: row.SetText(column, []); break;
            default: row.SetBytes(column, []); break;
        }
    }

    /// <summary>Decodes a stored row into values of <paramref name="types"/>.</summary>
    public static object?[] Decode(TableLayout layout, IReadOnlyList<SqlType> types, ReadOnlySpan<byte> row)
    {
        var codec = layout.Codec;
        var values = new object?[types.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = DecodeColumn(codec, types[i], row, i);
        }

        return values;
    }

    /// <summary>Decodes one column of a stored row as <paramref name="type"/>; null when it is NULL.</summary>
    public static object? DecodeColumn(RowCodec codec, SqlType type, ReadOnlySpan<byte> row, int column) => codec.IsNull(row, column) ? null : type.Kind switch
    {
        SqlTypeKind.Boolean => codec.GetBoolean(row, column),
        SqlTypeKind.Int2 => (short)codec.GetInt64(row, column),
        SqlTypeKind.Int4 or SqlTypeKind.Date => (int)codec.GetInt64(row, column),
        SqlTypeKind.Int8 or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => codec.GetInt64(row, column),
        SqlTypeKind.Float4 => (float)codec.GetFloat64(row, column),
        SqlTypeKind.Float8 => codec.GetFloat64(row, column),
        SqlTypeKind.Bytea or SqlTypeKind.Interval or SqlTypeKind.Uuid or SqlTypeKind.Array or SqlTypeKind.Vector => DecodeBinary(codec.GetBytes(row, column), type),
        SqlTypeKind.Numeric => SqlText.Parse(codec.GetText(row, column), type),
        _ => codec.GetText(row, column),
    };

    private static object DecodeBinary(ReadOnlySpan<byte> bytes, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Interval => new SqlInterval(
            BinaryPrimitives.ReadInt32LittleEndian(bytes),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[8..])),
        SqlTypeKind.Uuid => new Guid(bytes, bigEndian: true),
        SqlTypeKind.Array or SqlTypeKind.Vector => SqlText.Parse(Encoding.UTF8.GetString(bytes), type)!,
        _ => bytes.ToArray(),
    };
}
