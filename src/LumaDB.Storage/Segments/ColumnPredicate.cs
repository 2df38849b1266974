using System.Text;

namespace LumaDB.Storage.Segments;

/// <summary>
/// A pushed-down filter "column op constant". Nulls never match. Floating-point values compare in PostgreSQL's
/// order: NaN equals NaN and ranks above every number, so <c>&gt;</c> and <c>&gt;=</c> match NaN rows (NaN stays out
/// of the row-group ranges: those predicates skip a float row group only when its statistics say it holds none).
/// </summary>
public sealed class ColumnPredicate
{
    private ColumnPredicate(string column, CompareOp op, PredicateConstantKind kind, long integer, double real, byte[]? bytes)
    {
        Column = column;
        Op = op;
        Kind = kind;
        Integer = integer;
        Real = real;
        Bytes = bytes;
    }

    /// <summary>The column compared.</summary>
    public string Column { get; }

    /// <summary>The comparison.</summary>
    public CompareOp Op { get; }

    internal PredicateConstantKind Kind { get; }

    internal long Integer { get; }

    internal double Real { get; }

    internal byte[]? Bytes { get; }

    /// <summary>Compares an integer or timestamp (microseconds) column, or a float column, with an integer.</summary>
    public static ColumnPredicate Compare(string column, CompareOp op, long value) =>
        new(column, op, PredicateConstantKind.Integer, value, value, null);

    /// <summary>Compares a numeric column with a floating-point constant.</summary>
    public static ColumnPredicate Compare(string column, CompareOp op, double value) =>
        new(column, op, PredicateConstantKind.Real, 0, value, null);

    /// <summary>Compares a string column with a constant, in UTF-8 byte order (the order Parquet uses).</summary>
    public static ColumnPredicate Compare(string column, CompareOp op, string value) =>
        new(column, op, PredicateConstantKind.Bytes, 0, 0, Encoding.UTF8.GetBytes(value));

    /// <summary>Compares a timestamp column with an instant.</summary>
    public static ColumnPredicate Compare(string column, CompareOp op, DateTimeOffset value) =>
        Compare(column, op, TimeRange.MicrosOf(value));

    /// <summary>Whether a three-way comparison result of "value vs constant" satisfies <paramref name="op"/>.</summary>
    internal static bool Satisfies(CompareOp op, int comparison) => op switch
    {
        CompareOp.Equal => comparison == 0,
        CompareOp.Less => comparison < 0,
        CompareOp.LessOrEqual => comparison <= 0,
        CompareOp.Greater => comparison > 0,
        CompareOp.GreaterOrEqual => comparison >= 0,
        _ => false,
    };

    /// <summary>Three-way comparison of a value with a constant in PostgreSQL's float order (NaN highest, equal to NaN).</summary>
    internal static int CompareReal(double value, double constant)
    {
        if (double.IsNaN(value))
        {
            return double.IsNaN(constant) ? 0 : 1;
        }

        return double.IsNaN(constant) ? -1 : value < constant ? -1 : value > constant ? 1 : 0;
    }

    /// <summary>
    /// Whether any value in [min, max] can satisfy the predicate, given both ends compared with the constant.
    /// </summary>
    internal bool RangeMayMatch(int minComparison, int maxComparison) => Op switch
    {
        CompareOp.Equal => minComparison <= 0 && maxComparison >= 0,
        CompareOp.Less => minComparison < 0,
        CompareOp.LessOrEqual => minComparison <= 0,
        CompareOp.Greater => maxComparison > 0,
        CompareOp.GreaterOrEqual => maxComparison >= 0,
        _ => true,
    };

    /// <inheritdoc/>
    public override string ToString()
    {
        var constant = Kind switch
        {
            PredicateConstantKind.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
            PredicateConstantKind.Real => Real.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "'" + Encoding.UTF8.GetString(Bytes!) + "'",
        };
        return $"{Column} {Op} {constant}";
    }
}

/// <summary>Which field of a <see cref="ColumnPredicate"/> holds its constant.</summary>
internal enum PredicateConstantKind : byte
{
    Integer = 1,
    Real = 2,
    Bytes = 3,
}
