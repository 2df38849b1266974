using System.Globalization;
using System.Text.Json;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Json;

/// <summary>Casts of a scalar jsonb to boolean and the numeric types (PostgreSQL 11+): only the matching JSON kind converts.</summary>
internal static class JsonbScalarCast
{
    /// <summary>Converts jsonb text to <paramref name="to"/> (boolean or a numeric type).</summary>
    public static object Convert(string jsonb, SqlType to)
    {
        using var document = JsonValues.Parse(jsonb);
        var root = document.RootElement;
        if (to.Kind == SqlTypeKind.Boolean)
        {
            return root.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw CannotCast(root.ValueKind, to),
            };
        }

        if (root.ValueKind != JsonValueKind.Number)
        {
            throw CannotCast(root.ValueKind, to);
        }

        var text = root.GetRawText();
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            // Beyond decimal's range: go through float8, which reports overflow for the integer types.
            return SqlCasts.ConvertNumber(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), SqlType.Float8, to);
        }

        return to.Kind == SqlTypeKind.Numeric ? number : SqlCasts.ConvertNumber(number, SqlType.Numeric, to);
    }

    private static SqlException CannotCast(JsonValueKind kind, SqlType to)
    {
        var what = kind switch
        {
            JsonValueKind.Null => "null",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "numeric",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Array => "array",
            _ => "object",
        };
        return new SqlException(SqlState.InvalidParameterValue, $"cannot cast jsonb {what} to type {to.DisplayName}");
    }
}
