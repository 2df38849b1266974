namespace LumaDB.Query.Sql.Types;

/// <summary>Value conversions between SQL types, with PostgreSQL's rounding, range checks and error texts.</summary>
public static class SqlCasts
{
    /// <summary>True when an explicit CAST from <paramref name="from"/> to <paramref name="to"/> exists.</summary>
    public static bool CanCast(SqlType from, SqlType to)
    {
        if (SqlTypeCoercion.CanImplicitlyCast(from, to) || from.Category == SqlTypeCategory.String || to.Category == SqlTypeCategory.String)
        {
            return true;
        }

        return (from.Kind, to.Kind) switch
        {
            (_, _) when from.Category == SqlTypeCategory.Numeric && to.Category == SqlTypeCategory.Numeric => true,
            (SqlTypeKind.Int4 or SqlTypeKind.Int8 or SqlTypeKind.Int2, SqlTypeKind.Boolean) => true,
            (SqlTypeKind.Boolean, SqlTypeKind.Int4) => true,
            (SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz) => true,
            (SqlTypeKind.Interval, SqlTypeKind.Time) => true,
            (SqlTypeKind.Json or SqlTypeKind.Jsonb, SqlTypeKind.Json or SqlTypeKind.Jsonb) => true,
            (SqlTypeKind.Jsonb, SqlTypeKind.Boolean) => true,
            (SqlTypeKind.Jsonb, _) when to.Category == SqlTypeCategory.Numeric => true,
            (SqlTypeKind.Vector, SqlTypeKind.Vector) => true,
            (SqlTypeKind.Array, SqlTypeKind.Array) => CanCast(from.ElementType!, to.ElementType!),
            _ => false,
        };
    }

    /// <summary>
    /// Converts a non-null value; <paramref name="explicitCast"/> allows truncation of varchar(n)/bpchar(n) as CAST
    /// does. A numeric(p,s) target rounds to its scale and refuses values too large for its precision.
    /// </summary>
    public static object Convert(object value, SqlType from, SqlType to, bool explicitCast = true)
    {
        if (from == to)
        {
            return value;
        }

        var converted = ConvertValue(value, from, to, explicitCast);
        return to is { Kind: SqlTypeKind.Numeric, Modifier: >= 0 } ? FitNumeric((decimal)converted, to) : converted;
    }

    /// <summary>A value rounded (half away from zero) to numeric(p,s)'s scale, shown with that many places; 22003 past its precision.</summary>
    public static decimal FitNumeric(decimal value, SqlType to)
    {
        var (precision, scale) = (to.Modifier >> 16, to.Modifier & 0xFFFF);
        var rounded = decimal.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero);
        var whole = precision - scale;
        if (whole < 29 && Math.Abs(rounded) >= (whole >= 0 ? Pow10(whole) : whole >= -28 ? 1m / Pow10(-whole) : 0m))
        {
            throw new SqlException(
                SqlState.NumericValueOutOfRange,
                "numeric field overflow",
                detail: $"A field with precision {precision}, scale {scale} must round to an absolute value less than {(whole != 0 ? "10^" + whole.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1")}.");
        }

        // Adding a zero with the scale's places shows them: 1 in numeric(5,2) is 1.00.
        return scale is > 0 and <= 28 ? rounded + new decimal(0, 0, 0, false, (byte)scale) : rounded;

        static decimal Pow10(int n)
        {
            var result = 1m;
            for (var i = 0; i < n; i++)
            {
                result *= 10;
            }

            return result;
        }
    }

    private static object ConvertValue(object value, SqlType from, SqlType to, bool explicitCast)
    {
        if (from.Kind == SqlTypeKind.Unknown && to.Category == SqlTypeCategory.String)
        {
            return FitString((string)value, to, explicitCast);
        }

        if (from.Kind == SqlTypeKind.Unknown || (from.Category == SqlTypeCategory.String && to.Category != SqlTypeCategory.String))
        {
            return SqlText.Parse(from.Kind == SqlTypeKind.Bpchar ? ((string)value).TrimEnd(' ') : (string)value, to);
        }

        if (to.Category == SqlTypeCategory.String)
        {
            var text = from.Kind switch
            {
                SqlTypeKind.Boolean => (bool)value ? "true" : "false",
                SqlTypeKind.Bpchar => ((string)value).TrimEnd(' '),
                _ => SqlText.Format(value, from),
            };
            return FitString(text, to, explicitCast);
        }

        if (from.Category == SqlTypeCategory.Numeric && to.Category == SqlTypeCategory.Numeric)
        {
            return ConvertNumber(value, from, to);
        }

        switch (from.Kind, to.Kind)
        {
            case (SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8, SqlTypeKind.Boolean):
                return System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0;
            case (SqlTypeKind.Boolean, SqlTypeKind.Int4):
                return (bool)value ? 1 : 0;
            case (SqlTypeKind.Date, SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz):
                return DateToTimestamp((int)value);
            case (SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz):
                return value;
            case (SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, SqlTypeKind.Date):
                return TimestampToDate((long)value);
            case (SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, SqlTypeKind.Time):
                return (long)value - (SqlCalendar.FloorDiv((long)value, SqlInterval.MicrosPerDay) * SqlInterval.MicrosPerDay);
            case (SqlTypeKind.Time, SqlTypeKind.Interval):
                return new SqlInterval(0, 0, (long)value);
            case (SqlTypeKind.Interval, SqlTypeKind.Time):
                var micros = ((SqlInterval)value).Microseconds % SqlInterval.MicrosPerDay;
                return micros < 0 ? micros + SqlInterval.MicrosPerDay : micros;
            case (SqlTypeKind.Json, SqlTypeKind.Jsonb):
                return SqlText.Parse((string)value, SqlType.Jsonb);
            case (SqlTypeKind.Jsonb, SqlTypeKind.Json):
                return value;
            case (SqlTypeKind.Jsonb, _) when to.Kind == SqlTypeKind.Boolean || to.Category == SqlTypeCategory.Numeric:
                return Json.JsonbScalarCast.Convert((string)value, to);
            case (SqlTypeKind.Vector, SqlTypeKind.Vector):
                if (to.Modifier >= 0 && ((float[])value).Length != to.Modifier)
                {
                    SqlErrors.Throw(SqlState.DataException, $"expected {to.Modifier} dimensions, not {((float[])value).Length}");
                }

                return value;
            case (SqlTypeKind.Array, SqlTypeKind.Array):
                var source = (object?[])value;
                var result = new object?[source.Length];
                for (var i = 0; i < source.Length; i++)
                {
                    result[i] = source[i] is null ? null : Convert(source[i]!, from.ElementType!, to.ElementType!, explicitCast);
                }

                return result;
            default:
                SqlErrors.Throw(SqlState.CannotCoerce, $"cannot cast type {from.DisplayName} to {to.DisplayName}");
                return value;
        }
    }

    /// <summary>date → timestamp at midnight; infinities stay infinite.</summary>
    public static long DateToTimestamp(int days) => days switch
    {
        SqlCalendar.DateInfinity => SqlCalendar.TimestampInfinity,
        SqlCalendar.DateNegativeInfinity => SqlCalendar.TimestampNegativeInfinity,
        _ => days * SqlInterval.MicrosPerDay,
    };

    /// <summary>timestamp → date (the day it falls in).</summary>
    public static int TimestampToDate(long micros) => micros switch
    {
        SqlCalendar.TimestampInfinity => SqlCalendar.DateInfinity,
        SqlCalendar.TimestampNegativeInfinity => SqlCalendar.DateNegativeInfinity,
        _ => (int)SqlCalendar.FloorDiv(micros, SqlInterval.MicrosPerDay),
    };

    private static string FitString(string text, SqlType to, bool explicitCast)
    {
        if (to.Modifier < 0)
        {
            return text;
        }

        if (text.Length > to.Modifier)
        {
            if (!explicitCast && text.AsSpan(to.Modifier).Trim(' ').Length > 0)
            {
                SqlErrors.Throw(SqlState.StringDataRightTruncation, $"value too long for type {to.DisplayName}");
            }

            text = text[..to.Modifier];
        }

        return to.Kind == SqlTypeKind.Bpchar ? text.PadRight(to.Modifier) : text;
    }

    /// <summary>Numeric conversions: floats to integers round half to even (rint), out-of-range values are 22003.</summary>
    public static object ConvertNumber(object value, SqlType from, SqlType to)
    {
        switch (to.Kind)
        {
            case SqlTypeKind.Float8:
                return ToDouble(value, from);
            case SqlTypeKind.Float4:
                var f = (float)ToDouble(value, from);
                if (float.IsInfinity(f) && !double.IsInfinity(ToDouble(value, from)))
                {
                    SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value out of range: overflow");
                }

                return f;
            case SqlTypeKind.Numeric:
                if (from.Kind is SqlTypeKind.Float4 or SqlTypeKind.Float8)
                {
                    var d = ToDouble(value, from);
                    if (!double.IsFinite(d))
                    {
                        SqlErrors.Throw(SqlState.FeatureNotSupported, $"cannot convert {SqlText.Format(value, from)} to numeric yet");
                    }

                    // PostgreSQL converts through the float's shortest decimal text, so 0.1::float8::numeric is 0.1.
                    return SqlText.Parse(SqlText.Format(value, from), SqlType.Numeric);
                }

                return from.Kind switch
                {
                    SqlTypeKind.Int2 => (decimal)(short)value,
                    SqlTypeKind.Int4 => (decimal)(int)value,
                    SqlTypeKind.Numeric => (decimal)value,
                    _ => (decimal)(long)value,
                };
            default:
                var (min, max) = to.Kind switch
                {
                    SqlTypeKind.Int2 => ((long)short.MinValue, (long)short.MaxValue),
                    SqlTypeKind.Int4 => (int.MinValue, int.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                long integer;
                if (from.Kind is SqlTypeKind.Float4 or SqlTypeKind.Float8)
                {
                    var d = Math.Round(ToDouble(value, from), MidpointRounding.ToEven);
                    if (double.IsNaN(d) || d < min || d >= -(double)min)
                    {
                        SqlErrors.OutOfRange(to.Kind == SqlTypeKind.Int4 ? SqlType.Int4 : to);
                    }

                    integer = (long)d;
                }
                else if (from.Kind == SqlTypeKind.Numeric)
                {
                    var m = Math.Round((decimal)value, MidpointRounding.AwayFromZero);
                    if (m < min || m > max)
                    {
                        SqlErrors.OutOfRange(to);
                    }

                    integer = (long)m;
                }
                else
                {
                    integer = from.Kind switch
                    {
                        SqlTypeKind.Int2 => (short)value,
                        SqlTypeKind.Int4 => (int)value,
                        _ => (long)value,
                    };
                }

                if (integer < min || integer > max)
                {
                    SqlErrors.OutOfRange(to);
                }

                // Each arm boxes its own type; a switch expression would widen them all to long.
                return to.Kind switch
                {
                    SqlTypeKind.Int2 => (object)(short)integer,
                    SqlTypeKind.Int4 => (object)(int)integer,
                    _ => (object)integer,
                };
        }
    }

    private static double ToDouble(object value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.Int2 => (short)value,
        SqlTypeKind.Int4 => (int)value,
        SqlTypeKind.Int8 => (long)value,
        SqlTypeKind.Float4 => (float)value,
        SqlTypeKind.Float8 => (double)value,
        _ => (double)(decimal)value,
    };
}
