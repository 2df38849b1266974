using System.Globalization;
using System.Text;

namespace LumaDB.Query.Sql.Types;

/// <summary>
/// PostgreSQL text input and output for every <see cref="SqlType"/> (DateStyle ISO, IntervalStyle postgres,
/// session time zone UTC). Values use these CLR shapes throughout the engine:
/// bool, short, int, long, float, double, decimal (numeric), string (text, varchar, bpchar, json, jsonb),
/// byte[] (bytea), int days since 1970-01-01 (date), long microseconds since midnight (time),
/// long microseconds since 1970-01-01 UTC (timestamp, timestamptz), <see cref="SqlInterval"/>, Guid (uuid),
/// float[] (vector) and object?[] (arrays). Null is SQL NULL.
/// </summary>
public static partial class SqlText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Formats a non-null value as PostgreSQL's output function for <paramref name="type"/> would.</summary>
    public static string Format(object value, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => (bool)value ? "t" : "f",
        SqlTypeKind.Int2 => ((short)value).ToString(Invariant),
        SqlTypeKind.Int4 => ((int)value).ToString(Invariant),
        SqlTypeKind.Int8 => ((long)value).ToString(Invariant),
        SqlTypeKind.Float4 => FormatFloat4((float)value),
        SqlTypeKind.Float8 => FormatFloat8((double)value),
        SqlTypeKind.Numeric => ((decimal)value).ToString(Invariant),
        SqlTypeKind.Text or SqlTypeKind.Varchar or SqlTypeKind.Bpchar or SqlTypeKind.Json or SqlTypeKind.Jsonb or SqlTypeKind.Unknown => (string)value,
        SqlTypeKind.Bytea => FormatBytea((byte[])value),
        SqlTypeKind.Date => FormatDate((int)value),
        SqlTypeKind.Time => FormatTime((long)value),
        SqlTypeKind.Timestamp => FormatTimestamp((long)value, withZone: false),
        SqlTypeKind.TimestampTz => FormatTimestamp((long)value, withZone: true),
        SqlTypeKind.Interval => FormatInterval((SqlInterval)value),
        SqlTypeKind.Uuid => ((Guid)value).ToString("D", Invariant),
        SqlTypeKind.Vector => FormatVector((float[])value),
        SqlTypeKind.Array => FormatArray((object?[])value, type.ElementType!),
        _ => throw new SqlException(SqlState.FeatureNotSupported, $"no output function for type {type.DisplayName}"),
    };

    /// <summary>Parses text as PostgreSQL's input function for <paramref name="type"/>; throws <see cref="SqlException"/> (22P02, 22003, 22007, 22008...).</summary>
    public static object Parse(string text, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => ParseBoolean(text),
        SqlTypeKind.Int2 => (short)ParseInteger(text, type, short.MinValue, short.MaxValue),
        SqlTypeKind.Int4 => (int)ParseInteger(text, type, int.MinValue, int.MaxValue),
        SqlTypeKind.Int8 => ParseInteger(text, type, long.MinValue, long.MaxValue),
        SqlTypeKind.Float4 => ParseFloat4(text),
        SqlTypeKind.Float8 => ParseFloat8(text),
        SqlTypeKind.Numeric => type.Modifier >= 0 ? SqlCasts.FitNumeric(ParseNumeric(text), type) : ParseNumeric(text),
        SqlTypeKind.Text or SqlTypeKind.Unknown => text,
        SqlTypeKind.Varchar => CheckLength(text, type),
        SqlTypeKind.Bpchar => PadBpchar(CheckLength(text, type), type),
        SqlTypeKind.Bytea => ParseBytea(text),
        SqlTypeKind.Date => ParseDate(text),
        SqlTypeKind.Time => ParseTime(text),
        SqlTypeKind.Timestamp => ParseTimestamp(text, type),
        SqlTypeKind.TimestampTz => ParseTimestamp(text, type),
        SqlTypeKind.Interval => ParseInterval(text),
        SqlTypeKind.Uuid => ParseUuid(text),
        SqlTypeKind.Json => ValidateJson(text, type),
        SqlTypeKind.Jsonb => NormalizeJsonb(text),
        SqlTypeKind.Vector => ParseVector(text, type),
        SqlTypeKind.Array => ParseArray(text, type),
        _ => throw new SqlException(SqlState.FeatureNotSupported, $"no input function for type {type.DisplayName}"),
    };

    private static bool ParseBoolean(string text)
    {
        var t = text.Trim().ToLowerInvariant();

        // PostgreSQL accepts any unique prefix of true/false/yes/no, plus on/off (at least "of") and 1/0.
        if (t.Length > 0 && ("true".StartsWith(t, StringComparison.Ordinal) || "yes".StartsWith(t, StringComparison.Ordinal) || t is "on" or "1"))
        {
            return true;
        }

        if (t.Length > 0 && ("false".StartsWith(t, StringComparison.Ordinal) || "no".StartsWith(t, StringComparison.Ordinal) || t is "off" or "of" or "0"))
        {
            return false;
        }

        SqlErrors.InvalidInput(SqlType.Boolean, text);
        return false;
    }

    private static string CheckLength(string text, SqlType type)
    {
        if (type.Modifier >= 0 && text.Length > type.Modifier && text.AsSpan(type.Modifier).Trim(' ').Length > 0)
        {
            SqlErrors.Throw(SqlState.StringDataRightTruncation, $"value too long for type {type.DisplayName}");
        }

        return type.Modifier >= 0 && text.Length > type.Modifier ? text[..type.Modifier] : text;
    }

    private static string PadBpchar(string text, SqlType type) =>
        type.Modifier > text.Length ? text.PadRight(type.Modifier) : text;

    private static string FormatBytea(byte[] value)
    {
        var sb = new StringBuilder(2 + (value.Length * 2));
        sb.Append("\\x").Append(Convert.ToHexStringLower(value));
        return sb.ToString();
    }

    private static byte[] ParseBytea(string text)
    {
        if (text.StartsWith("\\x", StringComparison.Ordinal))
        {
            var bytes = new List<byte>(text.Length / 2);
            var i = 2;
            while (i < text.Length)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    i++;
                    continue;
                }

                var hi = HexValue(text[i]);
                if (i + 1 >= text.Length)
                {
                    SqlErrors.Throw(SqlState.InvalidParameterValue, "invalid hexadecimal data: odd number of digits");
                }

                var lo = HexValue(text[i + 1]);
                bytes.Add((byte)((hi << 4) | lo));
                i += 2;
            }

            return [.. bytes];
        }

        // The escape format: backslash + three octal digits, or a doubled backslash.
        var result = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    result.Add(b);
                }

                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '\\')
            {
                result.Add((byte)'\\');
                i++;
            }
            else if (i + 3 < text.Length + 0 && IsOctal(text[i + 1]) && IsOctal(text[i + 2]) && IsOctal(text[i + 3]))
            {
                result.Add((byte)(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0')));
                i += 3;
            }
            else
            {
                SqlErrors.InvalidInput(SqlType.Bytea, text);
            }
        }

        return [.. result];
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static int HexValue(char c)
    {
        if (char.IsAsciiHexDigit(c))
        {
            return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        }

        SqlErrors.Throw(SqlState.InvalidParameterValue, $"invalid hexadecimal digit: \"{c}\"");
        return 0;
    }

    private static Guid ParseUuid(string text)
    {
        var t = text.Trim();
        if ((t.Length == 36 && Guid.TryParseExact(t, "D", out var g)) || (t.Length == 32 && Guid.TryParseExact(t, "N", out g)) || (t.Length == 38 && Guid.TryParseExact(t, "B", out g)))
        {
            return g;
        }

        SqlErrors.InvalidInput(SqlType.Uuid, text);
        return default;
    }
}
