using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>The POSIX regular-expression functions, regex <c>substring</c> and <c>SIMILAR TO</c>.</summary>
public sealed partial class SqlBinder
{
    /// <summary>A regular-expression function by name and arity; null when <paramref name="name"/> is not one.</summary>
    private BoundFunction? BindRegexFunction(string name, BoundExpression[] args)
    {
        SqlType T = SqlType.Text, I = SqlType.Int4;
        return name switch
        {
            "regexp_match" => Fixed(ScalarFunction.RegexpMatch, name, args, TextArray, args.Length == 2 ? [T, T] : [T, T, T]),
            "regexp_split_to_array" => Fixed(ScalarFunction.RegexpSplitToArray, name, args, TextArray, args.Length == 2 ? [T, T] : [T, T, T]),
            "regexp_like" => Fixed(ScalarFunction.RegexpLike, name, args, SqlType.Boolean, args.Length == 2 ? [T, T] : [T, T, T]),
            "regexp_count" => Fixed(ScalarFunction.RegexpCount, name, args, SqlType.Int4, Prefix([T, T, I, T], args.Length, 2)),
            "regexp_instr" => Fixed(ScalarFunction.RegexpInstr, name, args, SqlType.Int4, Prefix([T, T, I, I, I, T, I], args.Length, 2)),
            "regexp_substr" => Fixed(ScalarFunction.RegexpSubstr, name, args, SqlType.Text, Prefix([T, T, I, I, T, I], args.Length, 2)),
            // A fourth argument of a numeric type is the start position (PostgreSQL 15's extended form), anything else the flags.
            "regexp_replace" when args.Length == 4 && args[3].Type.Category != SqlTypeCategory.Numeric =>
                Fixed(ScalarFunction.RegexpReplace, name, args, SqlType.Text, [T, T, T, T]),
            "regexp_replace" => Fixed(ScalarFunction.RegexpReplace, name, args, SqlType.Text, Prefix([T, T, T, I, I, T], args.Length, 3)),
            "similar_to_escape" => Fixed(ScalarFunction.SimilarToEscape, name, args, SqlType.Text, args.Length == 1 ? [T] : [T, T]),
            _ => null,
        };
    }

    /// <summary>The first <paramref name="count"/> parameters, or all of them when the count is out of range (so the arity check fails).</summary>
    private static SqlType[] Prefix(SqlType[] parameters, int count, int minimum) =>
        count >= minimum && count <= parameters.Length ? parameters[..count] : parameters;

    /// <summary>
    /// <c>substring(text, text)</c> (the POSIX regex form) and <c>substring(text, text, text)</c> (the SQL regex form,
    /// from <c>SIMILAR ... ESCAPE</c> or <c>FROM ... FOR</c>); null for the integer forms. PostgreSQL picks by the
    /// pattern's type, an untyped literal counting as text.
    /// </summary>
    private BoundFunction? BindRegexSubstring(BoundExpression[] args)
    {
        static bool IsText(BoundExpression e) => e.Type.Category is SqlTypeCategory.String or SqlTypeCategory.Unknown;
        if (args.Length is < 2 or > 3 || !args.All(IsText))
        {
            return null;
        }

        var source = Coerce(args[0], SqlType.Text);
        var pattern = Coerce(args[1], SqlType.Text);
        if (args.Length == 3)
        {
            pattern = new BoundFunction(ScalarFunction.SimilarToEscape, [pattern, Coerce(args[2], SqlType.Text)], SqlType.Text);
        }

        return new BoundFunction(ScalarFunction.RegexSubstring, [source, pattern], SqlType.Text);
    }

    /// <summary><c>x [NOT] SIMILAR TO p [ESCAPE e]</c> is <c>x ~ similar_to_escape(p, e)</c>, as in PostgreSQL.</summary>
    private BoundFunction BindSimilarTo(LikeExpression like)
    {
        var operand = Bind(like.Operand);
        var pattern = Bind(like.Pattern);
        if (operand.Type.Category is not (SqlTypeCategory.String or SqlTypeCategory.Unknown) || pattern.Type.Category is not (SqlTypeCategory.String or SqlTypeCategory.Unknown))
        {
            var op = like.Negated ? "!~" : "~";
            var right = pattern.Type.Kind == SqlTypeKind.Unknown ? SqlType.Text : pattern.Type;
            throw new SqlException(SqlState.UndefinedFunction, $"operator does not exist: {operand.Type.DisplayName} {op} {right.DisplayName}", OperatorHint);
        }

        BoundExpression[] escapeArgs = like.Escape is null
            ? [Coerce(pattern, SqlType.Text)]
            : [Coerce(pattern, SqlType.Text), Coerce(Bind(like.Escape), SqlType.Text)];
        var regex = new BoundFunction(ScalarFunction.SimilarToEscape, escapeArgs, SqlType.Text);
        return BindRegexMatch(like.Negated ? BinaryOperator.RegexNotMatch : BinaryOperator.RegexMatch, Coerce(operand, SqlType.Text), regex);
    }
}
