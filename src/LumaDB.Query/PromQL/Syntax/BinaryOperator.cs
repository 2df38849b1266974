namespace LumaDB.Query.PromQL.Syntax;

/// <summary>PromQL binary operators.</summary>
public enum BinaryOperator
{
    /// <summary><c>+</c></summary>
    Add,
    /// <summary><c>-</c></summary>
    Sub,
    /// <summary><c>*</c></summary>
    Mul,
    /// <summary><c>/</c></summary>
    Div,
    /// <summary><c>%</c></summary>
    Mod,
    /// <summary><c>^</c> (right-associative)</summary>
    Pow,
    /// <summary><c>atan2</c></summary>
    Atan2,
    /// <summary><c>==</c></summary>
    Eql,
    /// <summary><c>!=</c></summary>
    Neq,
    /// <summary><c>&gt;</c></summary>
    Gtr,
    /// <summary><c>&lt;</c></summary>
    Lss,
    /// <summary><c>&gt;=</c></summary>
    Gte,
    /// <summary><c>&lt;=</c></summary>
    Lte,
    /// <summary><c>and</c></summary>
    And,
    /// <summary><c>or</c></summary>
    Or,
    /// <summary><c>unless</c></summary>
    Unless,
    /// <summary><c>&lt;/</c>: keeps the part of a native histogram below the scalar bound.</summary>
    TrimUpper,
    /// <summary><c>&gt;/</c>: keeps the part of a native histogram above the scalar bound.</summary>
    TrimLower,
}

/// <summary>Facts about binary operators: spelling, precedence, class.</summary>
public static class BinaryOperatorFacts
{
    /// <summary>The operator as written in a query.</summary>
    public static string Symbol(this BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Sub => "-",
        BinaryOperator.Mul => "*",
        BinaryOperator.Div => "/",
        BinaryOperator.Mod => "%",
        BinaryOperator.Pow => "^",
        BinaryOperator.Atan2 => "atan2",
        BinaryOperator.Eql => "==",
        BinaryOperator.Neq => "!=",
        BinaryOperator.Gtr => ">",
        BinaryOperator.Lss => "<",
        BinaryOperator.Gte => ">=",
        BinaryOperator.Lte => "<=",
        BinaryOperator.And => "and",
        BinaryOperator.Or => "or",
        BinaryOperator.Unless => "unless",
        BinaryOperator.TrimUpper => "</",
        BinaryOperator.TrimLower => ">/",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>
    /// Binding strength, higher binds tighter: or=1, and/unless=2, comparisons=3, +-=4, */%/atan2=5, ^=6.
    /// The histogram trim operators are placed with the multiplicative ones.
    /// </summary>
    public static int Precedence(this BinaryOperator op) => op switch
    {
        BinaryOperator.Or => 1,
        BinaryOperator.And or BinaryOperator.Unless => 2,
        BinaryOperator.Eql or BinaryOperator.Neq or BinaryOperator.Gtr or BinaryOperator.Lss
            or BinaryOperator.Gte or BinaryOperator.Lte => 3,
        BinaryOperator.Add or BinaryOperator.Sub => 4,
        BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.Mod or BinaryOperator.Atan2
            or BinaryOperator.TrimUpper or BinaryOperator.TrimLower => 5,
        _ => 6,
    };

    /// <summary>Only <c>^</c> groups to the right.</summary>
    public static bool IsRightAssociative(this BinaryOperator op) => op == BinaryOperator.Pow;

    /// <summary>Comparison operators filter unless <c>bool</c> is given.</summary>
    public static bool IsComparison(this BinaryOperator op) =>
        op is BinaryOperator.Eql or BinaryOperator.Neq or BinaryOperator.Gtr or BinaryOperator.Lss
            or BinaryOperator.Gte or BinaryOperator.Lte;

    /// <summary>Arithmetic operators drop the metric name; comparisons, set and trim operators keep it.</summary>
    public static bool DropsMetricName(this BinaryOperator op) =>
        op is BinaryOperator.Add or BinaryOperator.Sub or BinaryOperator.Mul or BinaryOperator.Div
            or BinaryOperator.Mod or BinaryOperator.Pow or BinaryOperator.Atan2;

    /// <summary><c>and</c>, <c>or</c>, <c>unless</c>.</summary>
    public static bool IsSetOperator(this BinaryOperator op) =>
        op is BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Unless;
}
