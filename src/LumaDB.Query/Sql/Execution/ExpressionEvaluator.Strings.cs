using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>String and bytea function kernels (SqlBinder.Strings.cs binds them).</summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector? StringFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        var type = call.Type;
        return call.Function switch
        {
            ScalarFunction.OctetLength => ByteLength(args[0], type, bits: false),
            ScalarFunction.BitLength => ByteLength(args[0], type, bits: true),
            ScalarFunction.Initcap => Map<string, string>(args[0], type, StringKernels.Initcap),
            ScalarFunction.Lpad or ScalarFunction.Rpad => Pad(args, call.Function == ScalarFunction.Lpad),
            ScalarFunction.Repeat => MapBinary<string, int, string>(args[0], args[1], type, StringKernels.Repeat),
            ScalarFunction.Reverse => Map<string, string>(args[0], type, StringKernels.Reverse),
            ScalarFunction.SplitPart => MapTernary<string, string, int, string>(args, type, StringKernels.SplitPart),
            ScalarFunction.Translate => MapTernary<string, string, string, string>(args, type, StringKernels.Translate),
            ScalarFunction.Ascii => Map<string, int>(args[0], type, StringKernels.Ascii),
            ScalarFunction.Chr => Map<int, string>(args[0], type, StringKernels.Chr),
            ScalarFunction.StartsWith => MapBinary<string, string, bool>(args[0], args[1], type, static (s, prefix) => s.StartsWith(prefix, StringComparison.Ordinal)),
            ScalarFunction.ConcatWs => ConcatWs(args, rowCount),
            ScalarFunction.Md5 => args[0].Type.Kind == SqlTypeKind.Bytea
                ? Map<byte[], string>(args[0], type, static v => Md5Hex(v))
                : Map<string, string>(args[0], type, static v => Md5Hex(Encoding.UTF8.GetBytes(v))),
            ScalarFunction.Sha224 => Map<byte[], byte[]>(args[0], type, static v => Sha224.Hash(v)),
            ScalarFunction.Sha256 => Map<byte[], byte[]>(args[0], type, SHA256.HashData),
            ScalarFunction.Sha384 => Map<byte[], byte[]>(args[0], type, SHA384.HashData),
            ScalarFunction.Sha512 => Map<byte[], byte[]>(args[0], type, SHA512.HashData),
            ScalarFunction.ToHex => args[0].Type.Kind == SqlTypeKind.Int8
                ? Map<long, string>(args[0], type, static v => ((ulong)v).ToString("x", CultureInfo.InvariantCulture))
                : Map<int, string>(args[0], type, static v => ((uint)v).ToString("x", CultureInfo.InvariantCulture)),
            ScalarFunction.QuoteNullable => QuoteNullable(args[0]),
            ScalarFunction.Encode => MapBinary<byte[], string, string>(args[0], args[1], type, ByteaEncoding.Encode),
            ScalarFunction.Decode => MapBinary<string, string, byte[]>(args[0], args[1], type, ByteaEncoding.Decode),
            ScalarFunction.Format => Format(args, rowCount),
            ScalarFunction.Overlay => Overlay(args, type, rowCount),
            _ => null,
        };
    }

#pragma warning disable CA5351 // md5() is defined as MD5; it checksums, it does not protect anything.
    private static string Md5Hex(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351

    /// <summary>Bytes of the UTF-8 text or of the bytea; char(n) is measured with its padding, as PostgreSQL stores it.</summary>
    private static ColumnVector ByteLength(ColumnVector input, SqlType type, bool bits)
    {
        var factor = bits ? 8 : 1;
        return input.Type.Kind == SqlTypeKind.Bytea
            ? Map<byte[], int>(input, type, v => v.Length * factor)
            : Map<string, int>(input, type, v => Encoding.UTF8.GetByteCount(v) * factor);
    }

    private static ColumnVector Pad(ColumnVector[] args, bool left) => args.Length == 2
        ? MapBinary<string, int, string>(args[0], args[1], SqlType.Text, (s, n) => StringKernels.Pad(s, n, " ", left))
        : MapTernary<string, int, string, string>(args, SqlType.Text, (s, n, fill) => StringKernels.Pad(s, n, fill, left));

    /// <summary>Applies a strict three-argument function to every row where no input is null.</summary>
    private static ColumnVector MapTernary<T1, T2, T3, TOut>(ColumnVector[] args, SqlType type, Func<T1, T2, T3, TOut> function)
    {
        var a = args[0].As<T1>();
        var b = args[1].As<T2>();
        var c = args[2].As<T3>();
        var result = ColumnVector.Allocate(type, a.Length);
        var values = (TOut[])result.Values;
        for (var i = 0; i < a.Length; i++)
        {
            if (args[0].IsNull(i) || args[1].IsNull(i) || args[2].IsNull(i))
            {
                result.SetNull(i);
            }
            else
            {
                values[i] = function(a[i], b[i], c[i]);
            }
        }

        return result;
    }

    /// <summary>concat_ws: NULL when the separator is, otherwise the non-null values in their output form, separated.</summary>
    private static ColumnVector ConcatWs(ColumnVector[] args, int rowCount)
    {
        var result = ColumnVector.Allocate(SqlType.Text, rowCount);
        var values = result.As<string>();
        var builder = new StringBuilder();
        for (var i = 0; i < rowCount; i++)
        {
            if (args[0].IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            var separator = args[0].As<string>()[i];
            builder.Clear();
            var first = true;
            for (var a = 1; a < args.Length; a++)
            {
                if (args[a].GetValue(i) is not { } value)
                {
                    continue;
                }

                if (!first)
                {
                    builder.Append(separator);
                }

                builder.Append(SqlText.Format(value, args[a].Type));
                first = false;
            }

            values[i] = builder.ToString();
        }

        return result;
    }

    /// <summary>quote_nullable: the literal, or the word NULL for a null, so it never returns NULL itself.</summary>
    private static ColumnVector QuoteNullable(ColumnVector input)
    {
        var result = ColumnVector.Allocate(SqlType.Text, input.Length);
        var values = result.As<string>();
        for (var i = 0; i < input.Length; i++)
        {
            values[i] = input.GetValue(i) is string s ? QuoteLiteral(s) : "NULL";
        }

        return result;
    }

    /// <summary>format(): NULL only when the format string is; the other arguments may be anything.</summary>
    private static ColumnVector Format(ColumnVector[] args, int rowCount)
    {
        var result = ColumnVector.Allocate(SqlType.Text, rowCount);
        var values = result.As<string>();
        var types = args.Skip(1).Select(a => a.Type).ToArray();
        var row = new object?[args.Length - 1];
        for (var i = 0; i < rowCount; i++)
        {
            if (args[0].GetValue(i) is not string format)
            {
                result.SetNull(i);
                continue;
            }

            for (var a = 1; a < args.Length; a++)
            {
                row[a - 1] = args[a].GetValue(i);
            }

            values[i] = FormatFunction.Apply(format, row, types);
        }

        return result;
    }

    private static ColumnVector Overlay(ColumnVector[] args, SqlType type, int rowCount)
    {
        var result = ColumnVector.Allocate(type, rowCount);
        for (var i = 0; i < rowCount; i++)
        {
            if (args.Any(a => a.IsNull(i)))
            {
                result.SetNull(i);
                continue;
            }

            var start = args[2].As<int>()[i];
            int? length = args.Length > 3 ? args[3].As<int>()[i] : null;
            result.Values.SetValue(
                type.Kind == SqlTypeKind.Bytea
                    ? StringKernels.Overlay(args[0].As<byte[]>()[i], args[1].As<byte[]>()[i], start, length)
                    : StringKernels.Overlay(args[0].As<string>()[i], args[1].As<string>()[i], start, length),
                i);
        }

        return result;
    }
}
