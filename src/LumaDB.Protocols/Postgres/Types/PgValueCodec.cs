using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres.Types;

/// <summary>
/// PostgreSQL's wire formats for every supported type: text (the type's output and input functions) and binary
/// (its send and receive functions). Values are the CLR shapes of <see cref="SqlText"/>.
/// </summary>
public static class PgValueCodec
{
    /// <summary>Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's binary epoch.</summary>
    private const long EpochOffsetMicros = 946_684_800_000_000L;

    /// <summary>Days from 1970-01-01 to 2000-01-01.</summary>
    private const int EpochOffsetDays = 10_957;

    /// <summary>Writes a length-prefixed value (or -1 for NULL) in the given format (0 text, 1 binary).</summary>
    public static void Write(PgOutputBuffer output, object? value, SqlType type, short format)
    {
        if (value is null)
        {
            output.WriteNull();
            return;
        }

        var at = output.BeginLength();
        if (format == 1)
        {
            WriteBinary(output, value, type);
        }
        else if (!TryWriteTextFast(output, value, type))
        {
            output.WriteUtf8(SqlText.Format(value, type));
        }

        output.EndLength(at);
    }

    /// <summary>
    /// Writes a non-null integer value of <paramref name="values"/> (an <c>int[]</c>, <c>long[]</c> or
    /// <c>short[]</c> column of <paramref name="type"/>) without boxing it; false for any other column.
    /// </summary>
    public static bool TryWriteInteger(PgOutputBuffer output, Array values, int row, SqlType type, short format)
    {
        ArgumentNullException.ThrowIfNull(output);
        long value;
        switch (values)
        {
            case int[] ints when type.Kind == SqlTypeKind.Int4:
                value = ints[row];
                break;
            case long[] longs when type.Kind == SqlTypeKind.Int8:
                value = longs[row];
                break;
            case short[] shorts when type.Kind == SqlTypeKind.Int2:
                value = shorts[row];
                break;
            default:
                return false;
        }

        var at = output.BeginLength();
        if (format == 1)
        {
            switch (type.Kind)
            {
                case SqlTypeKind.Int2:
                    output.WriteInt16((short)value);
                    break;
                case SqlTypeKind.Int4:
                    output.WriteInt32((int)value);
                    break;
                default:
                    output.WriteInt64(value);
                    break;
            }
        }
        else
        {
            value.TryFormat(output.GetSpan(20), out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
        }

        output.EndLength(at);
        return true;
    }

    /// <summary>
    /// Integers in text format straight into the buffer (the digits <see cref="SqlText.Format"/> would give),
    /// without an intermediate string: the common case of every point query's result.
    /// </summary>
    private static bool TryWriteTextFast(PgOutputBuffer output, object value, SqlType type)
    {
        var span = output.GetSpan(20);
        int written;
        var done = type.Kind switch
        {
            SqlTypeKind.Int2 => ((short)value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            SqlTypeKind.Int4 => ((int)value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            SqlTypeKind.Int8 => ((long)value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ => (written = 0) != 0,
        };
        if (done)
        {
            output.Advance(written);
        }

        return done;
    }

    /// <summary>Decodes a parameter value sent in the given format; throws <see cref="SqlException"/> on bad input.</summary>
    public static object Read(ReadOnlySpan<byte> data, SqlType type, short format)
    {
        if (format == 0)
        {
            return TryReadIntegerText(data, type) ?? SqlText.Parse(DecodeText(data), type);
        }

        return ReadBinary(data, type);
    }

    /// <summary>
    /// A plain integer parameter (optional '-', then 1-18 ASCII digits) parsed from the bytes without making a
    /// string; anything else (spaces, '+', overflow, other types) is null and takes the general path.
    /// </summary>
    private static object? TryReadIntegerText(ReadOnlySpan<byte> data, SqlType type)
    {
        if (type.Kind is not (SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8))
        {
            return null;
        }

        var negative = !data.IsEmpty && data[0] == (byte)'-';
        var digits = negative ? data[1..] : data;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return null;
        }

        long value = 0;
        foreach (var b in digits)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                return null;
            }

            value = (value * 10) + digit;
        }

        value = negative ? -value : value;
        return type.Kind switch
        {
            SqlTypeKind.Int2 when value is >= short.MinValue and <= short.MaxValue => (short)value,
            SqlTypeKind.Int4 when value is >= int.MinValue and <= int.MaxValue => (int)value,
            SqlTypeKind.Int8 => value,
            _ => null,
        };
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static string DecodeText(ReadOnlySpan<byte> data)
    {
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new SqlException("22021", "invalid byte sequence for encoding \"UTF8\"");
        }
    }

    private static void WriteBinary(PgOutputBuffer output, object value, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean:
                output.WriteByte((bool)value ? (byte)1 : (byte)0);
                break;
            case SqlTypeKind.Int2:
                output.WriteInt16((short)value);
                break;
            case SqlTypeKind.Int4:
                output.WriteInt32((int)value);
                break;
            case SqlTypeKind.Int8:
                output.WriteInt64((long)value);
                break;
            case SqlTypeKind.Float4:
                output.WriteInt32(BitConverter.SingleToInt32Bits((float)value));
                break;
            case SqlTypeKind.Float8:
                output.WriteInt64(BitConverter.DoubleToInt64Bits((double)value));
                break;
            case SqlTypeKind.Numeric:
                WriteNumeric(output, (decimal)value);
                break;
            case SqlTypeKind.Text or SqlTypeKind.Varchar or SqlTypeKind.Bpchar or SqlTypeKind.Json or SqlTypeKind.Unknown:
                output.WriteUtf8((string)value);
                break;
            case SqlTypeKind.Jsonb:
                output.WriteByte(1);
                output.WriteUtf8((string)value);
                break;
            case SqlTypeKind.Bytea:
                output.WriteBytes((byte[])value);
                break;
            case SqlTypeKind.Date:
                output.WriteInt32((int)value - EpochOffsetDays);
                break;
            case SqlTypeKind.Time:
                output.WriteInt64((long)value);
                break;
            case SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz:
                output.WriteInt64((long)value - EpochOffsetMicros);
                break;
            case SqlTypeKind.Interval:
                var interval = (SqlInterval)value;
                output.WriteInt64(interval.Microseconds);
                output.WriteInt32(interval.Days);
                output.WriteInt32(interval.Months);
                break;
            case SqlTypeKind.Uuid:
                Span<byte> uuid = stackalloc byte[16];
                ((Guid)value).TryWriteBytes(uuid, bigEndian: true, out _);
                output.WriteBytes(uuid);
                break;
            case SqlTypeKind.Vector:
                var vector = (float[])value;
                output.WriteInt16(checked((short)vector.Length));
                output.WriteInt16(0);
                foreach (var f in vector)
                {
                    output.WriteInt32(BitConverter.SingleToInt32Bits(f));
                }

                break;
            case SqlTypeKind.Array:
                WriteArray(output, (object?[])value, type.ElementType!);
                break;
            default:
                throw new SqlException(SqlState.FeatureNotSupported, $"no binary output function for type {type.DisplayName}");
        }
    }

    private static void WriteArray(PgOutputBuffer output, object?[] array, SqlType element)
    {
        // Nested arrays are the dimensions of a multidimensional array; PostgreSQL requires them rectangular.
        var dims = new List<int>();
        object?[]? level = array;
        while (level is not null)
        {
            dims.Add(level.Length);
            level = level.Length > 0 ? level[0] as object?[] : null;
        }

        if (array.Length == 0)
        {
            dims.Clear();
        }

        var leaves = new List<object?>();
        Flatten(array, leaves);
        output.WriteInt32(dims.Count);
        output.WriteInt32(leaves.Contains(null) ? 1 : 0);
        output.WriteInt32((int)element.Oid);
        foreach (var dim in dims)
        {
            output.WriteInt32(dim);
            output.WriteInt32(1);
        }

        foreach (var leaf in leaves)
        {
            Write(output, leaf, element, 1);
        }
    }

    private static void Flatten(object?[] array, List<object?> leaves)
    {
        foreach (var item in array)
        {
            if (item is object?[] nested)
            {
                Flatten(nested, leaves);
            }
            else
            {
                leaves.Add(item);
            }
        }
    }

    /// <summary>PostgreSQL's numeric send format: base-10000 digits with a weight, a sign and the display scale.</summary>
    private static void WriteNumeric(PgOutputBuffer output, decimal value)
    {
        var scale = value.Scale;
        var text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integer = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        integer = integer.TrimStart('0');

        // Integer digits grouped from the right, fraction digits from the left, both padded to groups of four.
        var intGroups = (integer.Length + 3) / 4;
        integer = integer.PadLeft(intGroups * 4, '0');
        var fracGroups = (fraction.Length + 3) / 4;
        fraction = fraction.PadRight(fracGroups * 4, '0');
        var digits = new List<short>(intGroups + fracGroups);
        for (var i = 0; i < intGroups; i++)
        {
            digits.Add(short.Parse(integer.AsSpan(i * 4, 4), CultureInfo.InvariantCulture));
        }

        for (var i = 0; i < fracGroups; i++)
        {
            digits.Add(short.Parse(fraction.AsSpan(i * 4, 4), CultureInfo.InvariantCulture));
        }

        var weight = intGroups - 1;
        var start = 0;
        while (start < digits.Count && digits[start] == 0)
        {
            start++;
            weight--;
        }

        var end = digits.Count;
        while (end > start && digits[end - 1] == 0)
        {
            end--;
        }

        if (start == end)
        {
            weight = 0;
        }

        output.WriteInt16((short)(end - start));
        output.WriteInt16((short)weight);
        output.WriteInt16(value < 0 && start != end ? (short)0x4000 : (short)0);
        output.WriteInt16((short)scale);
        for (var i = start; i < end; i++)
        {
            output.WriteInt16(digits[i]);
        }
    }

    private static object ReadBinary(ReadOnlySpan<byte> data, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean:
                Expect(data, 1, type);
                return data[0] != 0;
            case SqlTypeKind.Int2:
                Expect(data, 2, type);
                return BinaryPrimitives.ReadInt16BigEndian(data);
            case SqlTypeKind.Int4:
                Expect(data, 4, type);
                return BinaryPrimitives.ReadInt32BigEndian(data);
            case SqlTypeKind.Int8:
                Expect(data, 8, type);
                return BinaryPrimitives.ReadInt64BigEndian(data);
            case SqlTypeKind.Float4:
                Expect(data, 4, type);
                return BinaryPrimitives.ReadSingleBigEndian(data);
            case SqlTypeKind.Float8:
                Expect(data, 8, type);
                return BinaryPrimitives.ReadDoubleBigEndian(data);
            case SqlTypeKind.Numeric:
                return ReadNumeric(data);
            case SqlTypeKind.Text or SqlTypeKind.Unknown or SqlTypeKind.Varchar or SqlTypeKind.Bpchar or SqlTypeKind.Json:
                return SqlText.Parse(DecodeText(data), type);
            case SqlTypeKind.Jsonb:
                if (data.Length == 0 || data[0] != 1)
                {
                    throw new SqlException("22P03", "unsupported jsonb version number");
                }

                return SqlText.Parse(DecodeText(data[1..]), type);
            case SqlTypeKind.Bytea:
                return data.ToArray();
            case SqlTypeKind.Date:
                Expect(data, 4, type);
                return BinaryPrimitives.ReadInt32BigEndian(data) + EpochOffsetDays;
            case SqlTypeKind.Time:
                Expect(data, 8, type);
                return BinaryPrimitives.ReadInt64BigEndian(data);
            case SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz:
                Expect(data, 8, type);
                return BinaryPrimitives.ReadInt64BigEndian(data) + EpochOffsetMicros;
            case SqlTypeKind.Interval:
                Expect(data, 16, type);
                return new SqlInterval(BinaryPrimitives.ReadInt32BigEndian(data[12..]), BinaryPrimitives.ReadInt32BigEndian(data[8..]), BinaryPrimitives.ReadInt64BigEndian(data));
            case SqlTypeKind.Uuid:
                Expect(data, 16, type);
                return new Guid(data, bigEndian: true);
            case SqlTypeKind.Vector:
                return ReadVector(data, type);
            case SqlTypeKind.Array:
                return ReadArray(data, type);
            default:
                throw new SqlException(SqlState.FeatureNotSupported, $"no binary input function for type {type.DisplayName}");
        }
    }

    private static void Expect(ReadOnlySpan<byte> data, int length, SqlType type)
    {
        if (data.Length != length)
        {
            throw BadBinary(type);
        }
    }

    private static SqlException BadBinary(SqlType type) =>
        new("22P03", $"incorrect binary data format in bind parameter of type {type.DisplayName}");

    private static float[] ReadVector(ReadOnlySpan<byte> data, SqlType type)
    {
        if (data.Length < 4)
        {
            throw BadBinary(type);
        }

        var dim = BinaryPrimitives.ReadInt16BigEndian(data);
        if (dim < 0 || data.Length != 4 + (dim * 4))
        {
            throw BadBinary(type);
        }

        if (type.Modifier > 0 && dim != type.Modifier)
        {
            throw new SqlException(SqlState.DataException, $"expected {type.Modifier} dimensions, not {dim}");
        }

        var vector = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleBigEndian(data[(4 + (i * 4))..]);
        }

        return vector;
    }

    private static decimal ReadNumeric(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            throw BadBinary(SqlType.Numeric);
        }

        var count = BinaryPrimitives.ReadInt16BigEndian(data);
        var weight = BinaryPrimitives.ReadInt16BigEndian(data[2..]);
        var sign = (ushort)BinaryPrimitives.ReadInt16BigEndian(data[4..]);
        var scale = BinaryPrimitives.ReadInt16BigEndian(data[6..]);
        if (count < 0 || data.Length != 8 + (count * 2) || scale < 0)
        {
            throw BadBinary(SqlType.Numeric);
        }

        if (sign == 0xC000)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "numeric NaN is not supported");
        }

        var text = new StringBuilder();
        if (sign == 0x4000)
        {
            text.Append('-');
        }

        // Digit group i has weight (weight - i): groups at weight >= 0 are the integer part.
        var integerGroups = Math.Max(weight + 1, 0);
        if (integerGroups == 0)
        {
            text.Append('0');
        }

        for (var i = 0; i < integerGroups; i++)
        {
            var digit = i < count ? BinaryPrimitives.ReadInt16BigEndian(data[(8 + (i * 2))..]) : (short)0;
            text.Append(i == 0 ? digit.ToString(CultureInfo.InvariantCulture) : digit.ToString("D4", CultureInfo.InvariantCulture));
        }

        var fraction = new StringBuilder();
        for (var w = -1; fraction.Length < scale; w--)
        {
            var index = weight - w;
            var digit = index >= 0 && index < count ? BinaryPrimitives.ReadInt16BigEndian(data[(8 + (index * 2))..]) : (short)0;
            fraction.Append(digit.ToString("D4", CultureInfo.InvariantCulture));
        }

        if (scale > 0)
        {
            text.Append('.').Append(fraction.ToString(0, scale));
        }

        return (decimal)SqlText.Parse(text.ToString(), SqlType.Numeric);
    }

    private static object?[] ReadArray(ReadOnlySpan<byte> data, SqlType type)
    {
        var element = type.ElementType!;
        if (data.Length < 12)
        {
            throw BadBinary(type);
        }

        var ndim = BinaryPrimitives.ReadInt32BigEndian(data);
        if (ndim < 0 || ndim > 6 || data.Length < 12 + (ndim * 8))
        {
            throw BadBinary(type);
        }

        var elementOid = (uint)BinaryPrimitives.ReadInt32BigEndian(data[8..]);
        if (elementOid != element.Oid && !(element.Kind == SqlTypeKind.Text && elementOid is PgTypeOids.Varchar or PgTypeOids.Bpchar))
        {
            throw new SqlException(SqlState.DatatypeMismatch, $"wrong element type in array: expected {element.Oid}, got {elementOid}");
        }

        var dims = new int[ndim];
        for (var d = 0; d < ndim; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(data[(12 + (d * 8))..]);
            if (dims[d] < 0)
            {
                throw BadBinary(type);
            }
        }

        var position = 12 + (ndim * 8);
        if (ndim == 0)
        {
            return [];
        }

        return ReadLevel(data, ref position, dims, 0, element, type);
    }

    private static object?[] ReadLevel(ReadOnlySpan<byte> data, ref int position, int[] dims, int level, SqlType element, SqlType type)
    {
        var result = new object?[dims[level]];
        for (var i = 0; i < result.Length; i++)
        {
            if (level + 1 < dims.Length)
            {
                result[i] = ReadLevel(data, ref position, dims, level + 1, element, type);
                continue;
            }

            if (position + 4 > data.Length)
            {
                throw BadBinary(type);
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
            position += 4;
            if (length < 0)
            {
                continue;
            }

            if (position + length > data.Length)
            {
                throw BadBinary(type);
            }

            result[i] = ReadBinary(data.Slice(position, length), element);
            position += length;
        }

        return result;
    }
}
