using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>to_char, to_date, to_timestamp(text, text) and to_number.</summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector? FormattingFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        _ = rowCount;
        return call.Function switch
        {
            ScalarFunction.ToChar => ToChar(args[0], args[1]),
            ScalarFunction.ToDate => WithTemplate(args[0], args[1], SqlType.Date, PgDateTimeFormat.Parse, static (f, s) => (object?)f.ParseDate(s)),
            ScalarFunction.ToTimestampFormat => WithTemplate(args[0], args[1], SqlType.TimestampTz, PgDateTimeFormat.Parse, static (f, s) => (object?)f.ParseTimestamp(s)),
            ScalarFunction.ToNumber => WithTemplate(args[0], args[1], SqlType.Numeric, PgNumberFormat.Parse, static (f, s) => (object?)f.ParseNumber(s)),
            _ => null,
        };
    }

    private static ColumnVector ToChar(ColumnVector value, ColumnVector template) => value.Type.Kind switch
    {
        SqlTypeKind.Timestamp => WithTemplate<PgDateTimeFormat, long>(value, template, PgDateTimeFormat.Parse, static (f, v) => f.FormatTimestamp(v, withZone: false)),
        SqlTypeKind.TimestampTz => WithTemplate<PgDateTimeFormat, long>(value, template, PgDateTimeFormat.Parse, static (f, v) => f.FormatTimestamp(v, withZone: true)),
        SqlTypeKind.Interval => WithTemplate<PgDateTimeFormat, SqlInterval>(value, template, PgDateTimeFormat.Parse, static (f, v) => f.FormatInterval(v)),
        SqlTypeKind.Int4 => WithTemplate<PgNumberFormat, int>(value, template, PgNumberFormat.Parse, static (f, v) => f.Format(v)),
        SqlTypeKind.Int8 => WithTemplate<PgNumberFormat, long>(value, template, PgNumberFormat.Parse, static (f, v) => f.Format(v)),
        SqlTypeKind.Numeric => WithTemplate<PgNumberFormat, decimal>(value, template, PgNumberFormat.Parse, static (f, v) => f.Format(v)),
        SqlTypeKind.Float4 => WithTemplate<PgNumberFormat, float>(value, template, PgNumberFormat.Parse, static (f, v) => f.Format(v, 6)),
        _ => WithTemplate<PgNumberFormat, double>(value, template, PgNumberFormat.Parse, static (f, v) => f.Format(v, 15)),
    };

    /// <summary>to_char over a batch: a template repeated across rows (the usual constant) is parsed once.</summary>
    private static ColumnVector WithTemplate<TFormat, TValue>(ColumnVector value, ColumnVector template, Func<string, TFormat> parse, Func<TFormat, TValue, string?> apply)
        where TFormat : class
    {
        var values = value.As<TValue>();
        var templates = template.As<string>();
        var result = ColumnVector.Allocate(SqlType.Text, value.Length);
        var texts = result.As<string>();
        string? lastTemplate = null;
        TFormat? format = null;
        for (var i = 0; i < value.Length; i++)
        {
            if (value.IsNull(i) || template.IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            if (format is null || !ReferenceEquals(lastTemplate, templates[i]) && lastTemplate != templates[i])
            {
                lastTemplate = templates[i];
                format = parse(lastTemplate);
            }

            var text = apply(format, values[i]);
            if (text is null)
            {
                result.SetNull(i);
            }
            else
            {
                texts[i] = text;
            }
        }

        return result;
    }

    /// <summary>to_date, to_timestamp and to_number over a batch, parsing a repeated template once.</summary>
    private static ColumnVector WithTemplate<TFormat>(ColumnVector input, ColumnVector template, SqlType type, Func<string, TFormat> parse, Func<TFormat, string, object?> apply)
        where TFormat : class
    {
        var inputs = input.As<string>();
        var templates = template.As<string>();
        var result = ColumnVector.Allocate(type, input.Length);
        string? lastTemplate = null;
        TFormat? format = null;
        for (var i = 0; i < input.Length; i++)
        {
            if (input.IsNull(i) || template.IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            if (format is null || !ReferenceEquals(lastTemplate, templates[i]) && lastTemplate != templates[i])
            {
                lastTemplate = templates[i];
                format = parse(lastTemplate);
            }

            var value = apply(format, inputs[i]);
            if (value is null)
            {
                result.SetNull(i);
            }
            else
            {
                result.Values.SetValue(value, i);
            }
        }

        return result;
    }
}
