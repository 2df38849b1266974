using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>Operator resolution.</summary>
public sealed partial class SqlBinder
{
    /// <summary>Resolves an infix operator on bound operands.</summary>
    public BoundExpression BindBinary(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        if ((left.Type.IsArray || right.Type.IsArray) && BindArrayOperator(op, left, right) is { } arrayOperator)
        {
            return arrayOperator;
        }

        if (BindJsonOrVectorBinary(op, left, right) is { } special)
        {
            return special;
        }

        switch (op)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                var name = op == BinaryOperator.And ? "AND" : "OR";
                return new BoundLogical(op == BinaryOperator.And, CoerceToBoolean(left, name), CoerceToBoolean(right, name));
            case BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.LessThan or BinaryOperator.LessThanOrEqual
                or BinaryOperator.GreaterThan or BinaryOperator.GreaterThanOrEqual:
                var (l, r) = BindComparisonOperands(op, left, right);
                return new BoundBinary(op, l, r, SqlType.Boolean);
            case BinaryOperator.Concat:
                return BindConcat(left, right);
            case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide
                or BinaryOperator.Modulo or BinaryOperator.Power:
                return BindArithmetic(op, left, right);
            case BinaryOperator.RegexMatch or BinaryOperator.RegexMatchInsensitive or BinaryOperator.RegexNotMatch or BinaryOperator.RegexNotMatchInsensitive:
                var (text, pattern) = ResolveUnknowns(op, left, right);
                return BindRegexMatch(op, text, pattern);
            default:
                return BindBitwiseOperator(op, left, right) ?? throw new SqlException(SqlState.FeatureNotSupported, $"operator not supported yet: {SqlOperators.Symbol(op)}");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void NoOperator(BinaryOperator op, BoundExpression left, BoundExpression right) =>
        throw new SqlException(
            SqlState.UndefinedFunction,
            $"operator does not exist: {left.Type.DisplayName} {SqlOperators.Symbol(op)} {right.Type.DisplayName}",
            OperatorHint);

    /// <summary>Gives an unknown-typed side the other side's type, as PostgreSQL first assumes.</summary>
    private (BoundExpression Left, BoundExpression Right) ResolveUnknowns(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        var leftUnknown = left.Type.Kind == SqlTypeKind.Unknown;
        var rightUnknown = right.Type.Kind == SqlTypeKind.Unknown;
        if (leftUnknown && rightUnknown)
        {
            if (left is BoundConstant { Value: null } || right is BoundConstant { Value: null } || op is not (BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide))
            {
                return (Coerce(left, SqlType.Text), Coerce(right, SqlType.Text));
            }

            throw new SqlException(
                SqlState.AmbiguousFunction,
                $"operator is not unique: unknown {SqlOperators.Symbol(op)} unknown",
                "Could not choose a best candidate operator. You might need to add explicit type casts.");
        }

        if (leftUnknown)
        {
            return (Coerce(left, UnknownPeerType(right.Type)), right);
        }

        if (rightUnknown)
        {
            return (left, Coerce(right, UnknownPeerType(left.Type)));
        }

        return (left, right);
    }

    private static SqlType UnknownPeerType(SqlType other) => other.WithoutModifier;

    internal (BoundExpression Left, BoundExpression Right) BindComparisonOperands(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        (left, right) = ResolveUnknowns(op, left, right);
        var lt = left.Type;
        var rt = right.Type;
        SqlType? common = null;
        if (lt.Category == SqlTypeCategory.Numeric && rt.Category == SqlTypeCategory.Numeric)
        {
            common = SqlTypeCoercion.PromoteNumeric(lt, rt);
        }
        else if (lt.Category == SqlTypeCategory.String && rt.Category == SqlTypeCategory.String)
        {
            common = lt.Kind == SqlTypeKind.Bpchar && rt.Kind == SqlTypeKind.Bpchar ? SqlType.Bpchar : SqlType.Text;
        }
        else if (lt.Category == SqlTypeCategory.DateTime && rt.Category == SqlTypeCategory.DateTime)
        {
            if (lt.Kind == rt.Kind)
            {
                common = lt;
            }
            else if (lt.Kind != SqlTypeKind.Time && rt.Kind != SqlTypeKind.Time)
            {
                common = lt.Kind == SqlTypeKind.TimestampTz || rt.Kind == SqlTypeKind.TimestampTz ? SqlType.TimestampTz : SqlType.Timestamp;
            }
        }
        else if (lt.IsArray && rt.IsArray)
        {
            // Arrays compare element by element, so both sides need one element type.
            var (le, re) = (lt.ElementType!, rt.ElementType!);
            common = le.WithoutModifier == re.WithoutModifier ? SqlType.ArrayOf(le.WithoutModifier)
                : le.Category == SqlTypeCategory.Numeric && re.Category == SqlTypeCategory.Numeric ? SqlType.ArrayOf(SqlTypeCoercion.PromoteNumeric(le, re))
                : null;
        }
        else if (lt.WithoutModifier == rt.WithoutModifier && lt.Kind is not (SqlTypeKind.Json or SqlTypeKind.Array or SqlTypeKind.Vector))
        {
            common = lt.WithoutModifier;
        }

        if (common is null)
        {
            NoOperator(op, left, right);
        }

        return (Coerce(left, common), Coerce(right, common));
    }

    private BoundExpression BindConcat(BoundExpression left, BoundExpression right)
    {
        // text || anynonarray: any non-array value is converted to text through its output function.
        if (left.Type.Kind == SqlTypeKind.Unknown && right.Type.Kind == SqlTypeKind.Unknown)
        {
            return new BoundBinary(BinaryOperator.Concat, Coerce(left, SqlType.Text), Coerce(right, SqlType.Text), SqlType.Text);
        }

        if (left.Type.Kind == SqlTypeKind.Bytea && right.Type.Kind is SqlTypeKind.Bytea or SqlTypeKind.Unknown)
        {
            return new BoundBinary(BinaryOperator.Concat, left, Coerce(right, SqlType.Bytea), SqlType.Bytea);
        }

        var leftText = left.Type.Category is SqlTypeCategory.String or SqlTypeCategory.Unknown;
        var rightText = right.Type.Category is SqlTypeCategory.String or SqlTypeCategory.Unknown;
        if ((leftText || rightText) && !left.Type.IsArray && !right.Type.IsArray)
        {
            return new BoundBinary(BinaryOperator.Concat, ToText(left), ToText(right), SqlType.Text);
        }

        NoOperator(BinaryOperator.Concat, left, right);
        return left;
    }

    private BoundExpression ToText(BoundExpression expression) =>
        expression.Type.Category is SqlTypeCategory.String or SqlTypeCategory.Unknown
            ? Coerce(expression, SqlType.Text)
            : BindCast(expression, SqlType.Text);

    private BoundBinary BindArithmetic(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        (left, right) = ResolveArithmeticUnknowns(op, left, right);
        (left, right) = TimeAsInterval(op, left, right);
        var lt = left.Type;
        var rt = right.Type;
        if (lt.Category == SqlTypeCategory.Numeric && rt.Category == SqlTypeCategory.Numeric)
        {
            var type = SqlTypeCoercion.PromoteNumeric(lt, rt);
            if (op == BinaryOperator.Power)
            {
                // PostgreSQL has ^ only for float8 and numeric; integers go to float8, the preferred type.
                type = type.Kind == SqlTypeKind.Numeric ? SqlType.Numeric : SqlType.Float8;
            }
            else if (op == BinaryOperator.Modulo && type.Kind is SqlTypeKind.Float4 or SqlTypeKind.Float8)
            {
                NoOperator(op, left, right);
            }

            return new BoundBinary(op, Coerce(left, type), Coerce(right, type), type);
        }

        var result = DateTimeArithmeticResult(op, lt, rt);
        if (result is null)
        {
            NoOperator(op, left, right);
        }

        // Numbers meeting intervals are float8; integers meeting dates are int4.
        if (lt.Category == SqlTypeCategory.Numeric)
        {
            left = Coerce(left, rt.Kind == SqlTypeKind.Date ? SqlType.Int4 : SqlType.Float8);
        }

        if (rt.Category == SqlTypeCategory.Numeric)
        {
            right = Coerce(right, lt.Kind == SqlTypeKind.Date ? SqlType.Int4 : SqlType.Float8);
        }

        if (lt.Kind is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz && rt.Kind is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz && lt.Kind != rt.Kind)
        {
            left = Coerce(left, SqlType.TimestampTz);
            right = Coerce(right, SqlType.TimestampTz);
        }

        return new BoundBinary(op, left, right, result);
    }

    private (BoundExpression Left, BoundExpression Right) ResolveArithmeticUnknowns(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        // With a date on one side, PostgreSQL's date + unknown has no exact match and resolves to
        // date + integer for the common '... + 7' form; everything else assumes the other side's type.
        if (left.Type.Kind == SqlTypeKind.Date && right.Type.Kind == SqlTypeKind.Unknown && op is BinaryOperator.Add)
        {
            return (left, Coerce(right, SqlType.Int4));
        }

        return ResolveUnknowns(op, left, right);
    }

    private static SqlType? DateTimeArithmeticResult(BinaryOperator op, SqlType lt, SqlType rt)
    {
        var l = lt.Kind;
        var r = rt.Kind;
        var lInt = lt.IsInteger && l != SqlTypeKind.Int8;
        var rInt = rt.IsInteger && r != SqlTypeKind.Int8;
        var lNum = lt.Category == SqlTypeCategory.Numeric;
        var rNum = rt.Category == SqlTypeCategory.Numeric;
        return op switch
        {
            BinaryOperator.Add when (l == SqlTypeKind.Date && rInt) || (lInt && r == SqlTypeKind.Date) => SqlType.Date,
            BinaryOperator.Subtract when l == SqlTypeKind.Date && rInt => SqlType.Date,
            BinaryOperator.Subtract when l == SqlTypeKind.Date && r == SqlTypeKind.Date => SqlType.Int4,
            BinaryOperator.Add when (l == SqlTypeKind.Date && r is SqlTypeKind.Interval or SqlTypeKind.Time)
                || (l is SqlTypeKind.Interval or SqlTypeKind.Time && r == SqlTypeKind.Date) => SqlType.Timestamp,
            BinaryOperator.Subtract when l == SqlTypeKind.Date && r == SqlTypeKind.Interval => SqlType.Timestamp,
            BinaryOperator.Add when l is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz && r == SqlTypeKind.Interval => lt,
            BinaryOperator.Add when l == SqlTypeKind.Interval && r is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => rt,
            BinaryOperator.Subtract when l is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz && r == SqlTypeKind.Interval => lt,
            BinaryOperator.Subtract when l is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz && r is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => SqlType.Interval,
            BinaryOperator.Add when (l == SqlTypeKind.Time && r == SqlTypeKind.Interval) || (l == SqlTypeKind.Interval && r == SqlTypeKind.Time) => SqlType.Time,
            BinaryOperator.Subtract when l == SqlTypeKind.Time && r == SqlTypeKind.Interval => SqlType.Time,
            BinaryOperator.Subtract when l == SqlTypeKind.Time && r == SqlTypeKind.Time => SqlType.Interval,
            BinaryOperator.Add or BinaryOperator.Subtract when l == SqlTypeKind.Interval && r == SqlTypeKind.Interval => SqlType.Interval,
            BinaryOperator.Multiply when (l == SqlTypeKind.Interval && rNum) || (lNum && r == SqlTypeKind.Interval) => SqlType.Interval,
            BinaryOperator.Divide when l == SqlTypeKind.Interval && rNum => SqlType.Interval,
            _ => null,
        };
    }
}
