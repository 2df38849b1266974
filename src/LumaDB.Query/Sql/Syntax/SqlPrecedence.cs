namespace LumaDB.Query.Sql.Syntax;

/// <summary>
/// PostgreSQL's operator precedence levels (lowest binds loosest), shared by the parser and the formatter
/// so that printed SQL re-parses to the same tree.
/// </summary>
internal static class SqlPrecedence
{
    public const int Or = 1;
    public const int And = 2;
    public const int Not = 3;
    public const int Is = 4;
    public const int Comparison = 5;
    public const int Like = 6;
    public const int OtherOperator = 7;
    public const int Additive = 8;
    public const int Multiplicative = 9;
    public const int Power = 10;
    public const int AtTimeZone = 11;
    public const int Collate = 12;
    public const int Unary = 13;
    public const int Postfix = 15;
    public const int Atom = 100;

    /// <summary>Precedence of an infix operator written as <paramref name="symbol"/>.</summary>
    public static int OfOperator(string symbol) => symbol switch
    {
        "=" or "<" or ">" or "<=" or ">=" or "<>" => Comparison,
        "+" or "-" => Additive,
        "*" or "/" or "%" => Multiplicative,
        "^" => Power,
        _ => OtherOperator,
    };
}
