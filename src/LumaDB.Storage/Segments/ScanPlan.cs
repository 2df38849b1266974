using Apache.Arrow;

namespace LumaDB.Storage.Segments;

/// <summary>A <see cref="SegmentScan"/> resolved against one segment's schema: column indexes, checked types.</summary>
internal sealed class ScanPlan
{
    private ScanPlan(
        IReadOnlyList<int> outputColumns, Schema outputSchema, IReadOnlyList<int> neededColumns, TimeRange? time, KeyRange? keys,
        IReadOnlyList<(int Column, ColumnPredicate Predicate)> predicates, bool dictionaryText, TopKBound? bound, int boundColumn)
    {
        Bound = bound;
        BoundColumn = boundColumn;
        DictionaryText = dictionaryText;
        OutputColumns = outputColumns;
        OutputSchema = outputSchema;
        NeededColumns = neededColumns;
        Time = time;
        Keys = keys;
        Predicates = predicates;
    }

    public IReadOnlyList<int> OutputColumns { get; }

    /// <summary>
    /// When every row of a group is selected, text, binary and numeric columns come back as views of the decoded vectors
    /// instead of copies: valid only until the same vectors decode the next row group. For a reader that copies
    /// each batch before it reads on (a merge), which then skips a fresh array per column per group.
    /// </summary>
    public bool BorrowVectors { get; init; }

    /// <summary>See <see cref="SegmentScan.DictionaryText"/>.</summary>
    public bool DictionaryText { get; }

    public Schema OutputSchema { get; }

    /// <summary>Columns to decode: the output plus whatever the filters look at.</summary>
    public IReadOnlyList<int> NeededColumns { get; }

    public TimeRange? Time { get; }

    public KeyRange? Keys { get; }

    /// <summary>
    /// The pushed predicates, equalities first: they are usually the most selective, so the first (full-width)
    /// pass leaves the fewest rows for the others to look at.
    /// </summary>
    public IReadOnlyList<(int Column, ColumnPredicate Predicate)> Predicates { get; }

    /// <summary>See <see cref="SegmentScan.Bound"/>; null when the scan has none or its column cannot be bounded.</summary>
    public TopKBound? Bound { get; }

    /// <summary>Schema index of <see cref="Bound"/>'s column, or -1.</summary>
    public int BoundColumn { get; }

    public static ScanPlan Create(SegmentSchema schema, SegmentScan scan, bool borrowVectors = false)
    {
        var output = scan.Columns?.Select(schema.Require).ToArray() ?? Enumerable.Range(0, schema.Columns.Count).ToArray();
        var needed = new SortedSet<int>(output);
        if (scan.Time is not null)
        {
            if (schema.TimeColumn < 0)
            {
                throw new ArgumentException("The scan has a time range but the segment has no time column.", nameof(scan));
            }

            needed.Add(schema.TimeColumn);
        }

        if (scan.Keys is not null)
        {
            needed.UnionWith(schema.KeyColumns);
        }

        var predicates = new List<(int, ColumnPredicate)>();
        foreach (var predicate in scan.Predicates)
        {
            var index = schema.Require(predicate.Column);
            var column = schema.Columns[index];
            if (column.IsBytes != (predicate.Kind == PredicateConstantKind.Bytes))
            {
                throw new ArgumentException($"Predicate '{predicate}' compares {column.Kind} column with a constant of another type.", nameof(scan));
            }

            predicates.Add((index, predicate));
            needed.Add(index);
        }

        // Signed integers, timestamps and floats can be bounded; other kinds (and a column this segment lacks) are
        // read unpruned, which the bound allows.
        var bound = scan.Bound;
        var boundColumn = bound is null ? -1 : schema.IndexOf(bound.Column);
        if (boundColumn < 0 || schema.Columns[boundColumn].Kind is not (SegmentColumnKind.Int16 or SegmentColumnKind.Int32 or SegmentColumnKind.Int64
            or SegmentColumnKind.TimestampMicros or SegmentColumnKind.Float32 or SegmentColumnKind.Float64))
        {
            bound = null;
            boundColumn = -1;
        }
        else
        {
            needed.Add(boundColumn);
        }

        predicates.Sort((a, b) => (a.Item2.Op != CompareOp.Equal).CompareTo(b.Item2.Op != CompareOp.Equal));
        var outputSchema = new Schema(output.Select(i => schema.ArrowSchema.FieldsList[i]), metadata: null);
        return new ScanPlan(output, outputSchema, needed.ToArray(), scan.Time, scan.Keys, predicates, scan.DictionaryText, bound, boundColumn)
        {
            BorrowVectors = borrowVectors,
        };
    }

    /// <summary>Whether the row group's statistics leave any chance that a row matches.</summary>
    public bool MayMatch(SegmentSchema schema, RowGroupFooter group)
    {
        var range = group.Range;
        if (Time is { } time && !range.MayHoldTimes(time))
        {
            return false;
        }

        if (Keys is { } keys && !keys.Overlaps(range.MinKey, range.MaxKey))
        {
            return false;
        }

        foreach (var (column, predicate) in Predicates)
        {
            if (!group.Columns[column].MayMatch(schema.Columns[column], predicate))
            {
                return false;
            }
        }

        return Bound is not { } bound || bound.Current is not { } value || MayBeat(bound, value, schema.Columns[BoundColumn], group.Columns[BoundColumn]);
    }

    /// <summary>
    /// Whether a row group may hold a row that is not strictly worse than the bound: a NULL when NULLs rank first,
    /// a value at or beyond the bound (ties stay, later sort keys decide), or, descending on a float column, a NaN
    /// (NaN ranks above every number, first in descending order).
    /// </summary>
    internal static bool MayBeat(TopKBound bound, TopKBound.Bound value, SegmentColumn column, ColumnStatistics statistics)
    {
        if (statistics.NullCount > 0 && bound.NullsFirst)
        {
            return true;
        }

        if (column.IsReal && bound.Descending && statistics.MayHoldNaN)
        {
            return true;
        }

        if (!statistics.HasRange)
        {
            // Only NULLs (ranked last here) or NaNs (ranked last when ascending).
            return false;
        }

        if (column.IsInteger)
        {
            if (value.IsReal)
            {
                return bound.Descending ? statistics.MaxInteger >= value.Real : statistics.MinInteger <= value.Real;
            }

            return bound.Descending ? statistics.MaxInteger >= value.Integer : statistics.MinInteger <= value.Integer;
        }

        var real = value.Real;
        return bound.Descending ? statistics.MaxReal >= real : statistics.MinReal <= real;
    }
}
