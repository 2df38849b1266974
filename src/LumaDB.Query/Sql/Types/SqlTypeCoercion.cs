namespace LumaDB.Query.Sql.Types;

/// <summary>
/// PostgreSQL's implicit cast rules (pg_cast entries with castcontext 'i') among the built-in types,
/// and the type resolution they drive for operators, CASE, COALESCE, IN and VALUES.
/// </summary>
public static class SqlTypeCoercion
{
    /// <summary>True when <paramref name="from"/> converts to <paramref name="to"/> without an explicit cast.</summary>
    public static bool CanImplicitlyCast(SqlType from, SqlType to)
    {
        if (from.WithoutModifier == to.WithoutModifier || from.Kind == SqlTypeKind.Unknown)
        {
            return true;
        }

        return (from.Kind, to.Kind) switch
        {
            (SqlTypeKind.Int2, SqlTypeKind.Int4 or SqlTypeKind.Int8 or SqlTypeKind.Float4 or SqlTypeKind.Float8 or SqlTypeKind.Numeric) => true,
            (SqlTypeKind.Int4, SqlTypeKind.Int8 or SqlTypeKind.Float4 or SqlTypeKind.Float8 or SqlTypeKind.Numeric) => true,
            (SqlTypeKind.Int8, SqlTypeKind.Float4 or SqlTypeKind.Float8 or SqlTypeKind.Numeric) => true,
            (SqlTypeKind.Numeric, SqlTypeKind.Float4 or SqlTypeKind.Float8) => true,
            (SqlTypeKind.Float4, SqlTypeKind.Float8) => true,
            (SqlTypeKind.Text or SqlTypeKind.Varchar or SqlTypeKind.Bpchar, SqlTypeKind.Text or SqlTypeKind.Varchar) => true,
            (SqlTypeKind.Date, SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz) => true,
            (SqlTypeKind.Timestamp, SqlTypeKind.TimestampTz) => true,
            (SqlTypeKind.Time, SqlTypeKind.Interval) => true,
            _ => false,
        };
    }

    /// <summary>
    /// The result type of an arithmetic operator on two numeric types. Integers widen to the wider one,
    /// integer with numeric is numeric, and anything with float4 other than float4 itself is float8, since
    /// PostgreSQL's cross-type float operators are (float4, float8) and float8 is the preferred type.
    /// </summary>
    public static SqlType PromoteNumeric(SqlType left, SqlType right)
    {
        // Arithmetic and comparison work on plain numeric: numeric(p,s) fits values only where they are stored or cast.
        if (left.Kind == right.Kind)
        {
            return left.WithoutModifier;
        }

        if (left.Kind == SqlTypeKind.Float4 || right.Kind == SqlTypeKind.Float4 || left.Kind == SqlTypeKind.Float8 || right.Kind == SqlTypeKind.Float8)
        {
            return SqlType.Float8;
        }

        return (Rank(left) >= Rank(right) ? left : right).WithoutModifier;
    }

    private static int Rank(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Int2 => 1,
        SqlTypeKind.Int4 => 2,
        SqlTypeKind.Int8 => 3,
        SqlTypeKind.Numeric => 4,
        SqlTypeKind.Float4 => 5,
        SqlTypeKind.Float8 => 6,
        _ => 0,
    };

    /// <summary>
    /// Resolves one type for a set of expressions (UNION/CASE/COALESCE/IN/VALUES rules): all unknown is text;
    /// otherwise the categories must agree, and the result is the preferred type, or the last candidate that
    /// every other type implicitly converts to. Returns null and a message when there is none.
    /// </summary>
    public static SqlType? ResolveCommonType(IReadOnlyList<SqlType> types, string context, out string? error)
    {
        error = null;
        SqlType? result = null;
        foreach (var type in types)
        {
            if (type.Kind == SqlTypeKind.Unknown)
            {
                continue;
            }

            if (result is null)
            {
                result = type;
                continue;
            }

            if (type.Category != result.Category)
            {
                error = $"{context} types {result.DisplayName} and {type.DisplayName} cannot be matched";
                return null;
            }

            if (type == result)
            {
                continue;
            }

            if (!result.IsPreferred && CanImplicitlyCast(result, type) && !CanImplicitlyCast(type, result))
            {
                result = type;
            }
            else if (result.Category == SqlTypeCategory.Numeric)
            {
                // Mixed float4 and integers resolve through the same ladder operators use.
                result = CanImplicitlyCast(type, result) ? result : PromoteNumeric(result, type);
            }
            else if (!CanImplicitlyCast(type, result))
            {
                result = result.WithoutModifier;
                if (!CanImplicitlyCast(type, result))
                {
                    error = $"{context} types {result.DisplayName} and {type.DisplayName} cannot be matched";
                    return null;
                }
            }
        }

        return result ?? SqlType.Text;
    }
}
