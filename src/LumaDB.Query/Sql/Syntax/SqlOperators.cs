namespace LumaDB.Query.Sql.Syntax;

/// <summary>Maps operator symbols to the typed operator enums and back.</summary>
public static class SqlOperators
{
    /// <summary>The symbol (or keyword) of <paramref name="op"/>.</summary>
    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Power => "^",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "<>",
        BinaryOperator.LessThan => "<",
        BinaryOperator.LessThanOrEqual => "<=",
        BinaryOperator.GreaterThan => ">",
        BinaryOperator.GreaterThanOrEqual => ">=",
        BinaryOperator.And => "AND",
        BinaryOperator.Or => "OR",
        BinaryOperator.Concat => "||",
        BinaryOperator.RegexMatch => "~",
        BinaryOperator.RegexMatchInsensitive => "~*",
        BinaryOperator.RegexNotMatch => "!~",
        BinaryOperator.RegexNotMatchInsensitive => "!~*",
        BinaryOperator.JsonGet => "->",
        BinaryOperator.JsonGetText => "->>",
        BinaryOperator.JsonGetPath => "#>",
        BinaryOperator.JsonGetPathText => "#>>",
        BinaryOperator.Contains => "@>",
        BinaryOperator.ContainedBy => "<@",
        BinaryOperator.JsonHasKey => "?",
        BinaryOperator.JsonHasAnyKey => "?|",
        BinaryOperator.JsonHasAllKeys => "?&",
        BinaryOperator.Overlaps => "&&",
        BinaryOperator.L2Distance => "<->",
        BinaryOperator.CosineDistance => "<=>",
        BinaryOperator.NegativeInnerProduct => "<#>",
        BinaryOperator.BitwiseAnd => "&",
        BinaryOperator.BitwiseOr => "|",
        BinaryOperator.BitwiseXor => "#",
        BinaryOperator.ShiftLeft => "<<",
        BinaryOperator.ShiftRight => ">>",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Looks up the typed operator for an infix operator symbol.</summary>
    public static bool TryGetBinary(string symbol, out BinaryOperator op)
    {
        op = symbol switch
        {
            "+" => BinaryOperator.Add,
            "-" => BinaryOperator.Subtract,
            "*" => BinaryOperator.Multiply,
            "/" => BinaryOperator.Divide,
            "%" => BinaryOperator.Modulo,
            "^" => BinaryOperator.Power,
            "=" => BinaryOperator.Equal,
            "<>" or "!=" => BinaryOperator.NotEqual,
            "<" => BinaryOperator.LessThan,
            "<=" => BinaryOperator.LessThanOrEqual,
            ">" => BinaryOperator.GreaterThan,
            ">=" => BinaryOperator.GreaterThanOrEqual,
            "||" => BinaryOperator.Concat,
            "~" => BinaryOperator.RegexMatch,
            "~*" => BinaryOperator.RegexMatchInsensitive,
            "!~" => BinaryOperator.RegexNotMatch,
            "!~*" => BinaryOperator.RegexNotMatchInsensitive,
            "->" => BinaryOperator.JsonGet,
            "->>" => BinaryOperator.JsonGetText,
            "#>" => BinaryOperator.JsonGetPath,
            "#>>" => BinaryOperator.JsonGetPathText,
            "@>" => BinaryOperator.Contains,
            "<@" => BinaryOperator.ContainedBy,
            "?" => BinaryOperator.JsonHasKey,
            "?|" => BinaryOperator.JsonHasAnyKey,
            "?&" => BinaryOperator.JsonHasAllKeys,
            "&&" => BinaryOperator.Overlaps,
            "<->" => BinaryOperator.L2Distance,
            "<=>" => BinaryOperator.CosineDistance,
            "<#>" => BinaryOperator.NegativeInnerProduct,
            "&" => BinaryOperator.BitwiseAnd,
            "|" => BinaryOperator.BitwiseOr,
            "#" => BinaryOperator.BitwiseXor,
            "<<" => BinaryOperator.ShiftLeft,
            ">>" => BinaryOperator.ShiftRight,
            _ => (BinaryOperator)(-1),
        };
        return op >= 0;
    }

    /// <summary>The precedence level of <paramref name="op"/>, used to decide parentheses when printing.</summary>
    internal static int Precedence(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => SqlPrecedence.Or,
        BinaryOperator.And => SqlPrecedence.And,
        _ => SqlPrecedence.OfOperator(Symbol(op)),
    };
}
