namespace LumaDB.Storage.Segments;

/// <summary>What a scan wants from a segment: which columns, and which rows (all conditions must hold).</summary>
public sealed class SegmentScan
{
    /// <summary>A scan of every column and row.</summary>
    public static SegmentScan All { get; } = new();

    /// <summary>Columns to return, in this order; null returns all columns in schema order.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Only rows whose time column lies in this range; requires a segment with a time column.</summary>
    public TimeRange? Time { get; init; }

    /// <summary>Only rows whose encoded primary key lies in this range.</summary>
    public KeyRange? Keys { get; init; }

    /// <summary>Only rows satisfying every predicate.</summary>
    public IReadOnlyList<ColumnPredicate> Predicates { get; init; } = [];

    /// <summary>
    /// Lets text columns of row groups read from the decoded-column cache come back as an Arrow
    /// <see cref="Apache.Arrow.DictionaryArray"/> (int32 codes into the group's distinct values) when the column has
    /// few distinct values; other text columns stay <see cref="Apache.Arrow.StringArray"/>. Off by default.
    /// </summary>
    public bool DictionaryText { get; init; }

    /// <summary>
    /// The cut-off of a top-k consumer on one column: rows strictly worse than it may be left out, and row groups
    /// whose statistics prove every row worse are skipped. Null prunes nothing.
    /// </summary>
    public TopKBound? Bound { get; init; }
}
