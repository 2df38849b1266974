namespace LumaDB.Storage.Segments;

/// <summary>
/// The current cut-off of an ORDER BY ... LIMIT k consumer on its first sort column, shared with the scan that
/// feeds it: once the consumer holds k rows it tightens the bound to its k-th key, and the scan may then leave
/// out rows whose value is strictly worse (row groups whose statistics prove every row worse are not read at
/// all). Rows equal to the bound are kept, since later sort keys decide between them. Numbers order as the SQL
/// sort orders them: integers numerically, floating-point values as PostgreSQL does, NaN
/// above every number. NULLs rank first or last as <see cref="NullsFirst"/> says. What the scan drops is a hint
/// the consumer does not rely on: it still compares every row it receives.
/// </summary>
public sealed class TopKBound
{
    private Bound? _current;

    /// <summary>A bound on <paramref name="column"/> for the given sort direction; it starts unset (no pruning).</summary>
    public TopKBound(string column, bool descending, bool nullsFirst)
    {
        ArgumentNullException.ThrowIfNull(column);
        Column = column;
        Descending = descending;
        NullsFirst = nullsFirst;
    }

    /// <summary>The first sort column.</summary>
    public string Column { get; }

    /// <summary>True when larger values rank first.</summary>
    public bool Descending { get; }

    /// <summary>True when NULLs rank before every value.</summary>
    public bool NullsFirst { get; }

    /// <summary>Whether a bound has been set.</summary>
    public bool IsSet => Volatile.Read(ref _current) is not null;

    /// <summary>Sets the bound to an integer (or timestamp, in microseconds) value.</summary>
    public void Tighten(long value) => Volatile.Write(ref _current, new Bound(value, value, IsReal: false));

    /// <summary>Sets the bound to a floating-point value; NaN clears it (NaN leaves nothing to compare against).</summary>
    public void Tighten(double value) => Volatile.Write(ref _current, double.IsNaN(value) ? null : new Bound(0, value, IsReal: true));

    /// <summary>Removes the bound.</summary>
    public void Clear() => Volatile.Write(ref _current, null);

    /// <summary>The bound as set now, or null.</summary>
    internal Bound? Current => Volatile.Read(ref _current);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Column} {(Descending ? "DESC" : "ASC")} {(NullsFirst ? "NULLS FIRST" : "NULLS LAST")} bound {(Current is { } b ? (b.IsReal ? b.Real.ToString(System.Globalization.CultureInfo.InvariantCulture) : b.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture)) : "unset")}";

    /// <summary>
    /// One value of the bound; replaced whole, so a reader never sees half an update. <see cref="Real"/> holds an
    /// integer bound too (as a double), so float comparisons read it whatever the kind.
    /// </summary>
    internal sealed record Bound(long Integer, double Real, bool IsReal);
}
