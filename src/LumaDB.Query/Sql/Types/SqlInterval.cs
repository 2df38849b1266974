namespace LumaDB.Query.Sql.Types;

/// <summary>
/// An interval value as PostgreSQL keeps it: months, days and microseconds held apart, because a month
/// and a day have no fixed length (a day may be 23 or 25 hours across a DST change).
/// </summary>
public readonly record struct SqlInterval(int Months, int Days, long Microseconds) : IComparable<SqlInterval>
{
    /// <summary>Microseconds in a day.</summary>
    public const long MicrosPerDay = 86_400_000_000L;

    /// <summary>Microseconds in an hour.</summary>
    public const long MicrosPerHour = 3_600_000_000L;

    /// <summary>The zero interval.</summary>
    public static SqlInterval Zero => default;

    /// <summary>The span in microseconds with a month as 30 days and a day as 24 hours: the key PostgreSQL compares and hashes intervals by.</summary>
    public Int128 ComparisonKey => ((Int128)Months * 30 + Days) * MicrosPerDay + Microseconds;

    /// <inheritdoc/>
    public int CompareTo(SqlInterval other) => ComparisonKey.CompareTo(other.ComparisonKey);

    /// <summary>Ordering by <see cref="ComparisonKey"/>.</summary>
    public static bool operator <(SqlInterval left, SqlInterval right) => left.CompareTo(right) < 0;

    /// <summary>Ordering by <see cref="ComparisonKey"/>.</summary>
    public static bool operator >(SqlInterval left, SqlInterval right) => left.CompareTo(right) > 0;

    /// <summary>Ordering by <see cref="ComparisonKey"/>.</summary>
    public static bool operator <=(SqlInterval left, SqlInterval right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering by <see cref="ComparisonKey"/>.</summary>
    public static bool operator >=(SqlInterval left, SqlInterval right) => left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public override string ToString() => SqlText.FormatInterval(this);
}
